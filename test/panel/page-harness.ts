// The message panel's page in Chromium, directly, against a real daemon: dist/daemon.js forked over IPC as
// the extension does, the page's HTML (client/panel/html.ts, its CSP included) served from loopback, and
// the extension's relay (client/panel/relay.ts) between the two. acquireVsCodeApi is the only stand-in:
// it hands the page's messages to the relay, as VS Code's webview does.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { BackendInfo } from '../../$shared/protocol';
import { panelHtml } from '../../client/panel/html';
import { PanelRelay } from '../../client/panel/relay';
import { daemonWithBackend, type ForkedDaemon } from '../support/daemon';
import { tempTree } from '../support/temp-tree';

const root = path.resolve(__dirname, '../../..');
export const CHROMIUM = process.env.HANDSHAKE_CHROMIUM ?? '/usr/bin/chromium';

export interface PanelPage {
  page: Page;
  backend: BackendInfo;
  daemon: ForkedDaemon;
  workspace: string;
  /** Console errors and uncaught exceptions of the page (a CSP violation shows up here). */
  consoleErrors: string[];
  /** Every message the host posted to the page, as JSON text (to prove what never reached it). */
  posted: string[];
  close(): Promise<void>;
}

export async function openPanelPage(): Promise<PanelPage> {
  const workspace = tempTree({ 'handshake.config.json': JSON.stringify({ backend: { port: 0 } }) }, 'hs-panel-');
  const { daemon, backend } = await daemonWithBackend(workspace,
    { ...process.env, XDG_STATE_HOME: path.join(workspace, '.state'), HANDSHAKE_JWT_SECRET: 'panel-test-secret-0123456789abcdef' });

  const server = http.createServer((req, res) => {
    const files: Record<string, [string, string]> = { '/dist/panel.js': ['dist/panel.js', 'text/javascript'], '/media/panel.css': ['media/panel.css', 'text/css'] };
    const file = files[req.url ?? ''];
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(panelHtml({ cspSource: origin, scriptUri: `${origin}/dist/panel.js`, styleUri: `${origin}/media/panel.css` }));
    } else if (file) {
      res.writeHead(200, { 'content-type': file[1] }).end(fs.readFileSync(path.join(root, file[0])));
    } else res.writeHead(req.url === '/favicon.ico' ? 204 : 404).end();   // Chromium asks for a favicon on its own
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const consoleErrors: string[] = [];
  const posted: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  const relay = new PanelRelay({
    sendRequest: (method, params) => daemon.connection.sendRequest(method, params),
    onNotification: (method, handler) => daemon.connection.onNotification(method, handler),
  }, {
    post: (message) => {
      posted.push(JSON.stringify(message));
      void page.evaluate((m) => (globalThis as unknown as { postMessage(m: unknown, to: string): void }).postMessage(m, '*'), message as never).catch(() => undefined);
    },
    copy: () => undefined,
  });
  await page.exposeFunction('__handshakeToHost', (m: unknown) => relay.handle(m));
  // The page's own window: a browser script, so it is given as text (this file is compiled without the DOM types).
  await page.addInitScript(`window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__handshakeToHost(m),
    getState: () => JSON.parse(sessionStorage.getItem('state') ?? 'null'),
    setState: (s) => sessionStorage.setItem('state', JSON.stringify(s)),
  });`);
  await page.goto(origin);
  return {
    page, backend, daemon, workspace, consoleErrors, posted,
    async close() {
      await relay.dispose().catch(() => undefined);
      await browser.close();
      server.close();
      await daemon.shutdown().catch(() => undefined);
      daemon.dispose();
      fs.rmSync(workspace, { recursive: true, force: true });
    },
  };
}
