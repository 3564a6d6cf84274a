// Driving VS Code's workbench in Chromium with playwright-core: the few gestures the e2e test needs, each
// with a bounded wait. Selectors are VS Code 1.139's DOM (code-server 4.139.1 is pinned in setup-vscode.sh).
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';

export interface Workbench {
  page: Page;
  close(): Promise<void>;
}

export async function openWorkbench(chromiumPath: string, url: string, scratch: string): Promise<Workbench> {
  const profile = path.join(scratch, 'chromium-profile');   // a fresh --user-data-dir per run
  fs.mkdirSync(profile, { recursive: true });
  // Chromium's crash handler writes under ~/.config whatever the profile: a HOME of the run's own.
  const home = path.join(scratch, 'chromium-home');
  // Debian's Chromium, headless; no sandbox (root in CI), nothing phoning home.
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') }, viewport: { width: 1400, height: 850 }, timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(url, { timeout: 30_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
  return { page, close: () => context.close() };
}

/** The Handshake view container's activity bar icon: it appears once the extension has activated. */
export function handshakeIcon(page: Page): Locator {
  return page.locator('.activitybar [aria-label^="Handshake"]').first();
}

/** The Stack view's pane in the Handshake view container; its tree rows are `.monaco-list-row`s. */
export function stackPane(page: Page): Locator {
  return viewPane(page, 'Stack');
}

/** A view's pane in the side bar, by the name in its header. */
export function viewPane(page: Page, name: string): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: name }) });
}

/**
 * Runs a command from the palette (F1) by its title, as a user types it. The palette lists the commands
 * enabled when it opens: on a slow start it can open before the extension's are (seen once in CI, with only
 * "similar commands" listed), so a palette without the command is closed and opened again, as a user would.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    try {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click({ timeout: 5_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/** The active webview's page (VS Code nests it in two iframes). */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Opens a workspace file with Quick Open and waits until the editor shows it. */
export async function openFile(page: Page, name: string): Promise<Locator> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 10_000 });
  return page.locator('.editor-instance .monaco-editor').first();
}

/** The editor's visible text, line by line (Monaco renders spaces as no-break spaces). */
export async function editorLines(editor: Locator): Promise<string[]> {
  const lines = await editor.locator('.view-lines .view-line').evaluateAll((nodes) =>
    nodes.map((n) => ({ top: parseFloat((n as unknown as { style: { top: string } }).style.top) || 0, text: n.textContent ?? '' })));
  return lines.sort((a, b) => a.top - b.top).map((l) => l.text.replace(/\u00a0/g, ' '));
}

/** Drags the side bar's sash so the tree's descriptions (causes, probe results) are not cut off. */
export async function widenSideBar(page: Page, width?: number): Promise<void> {
  const sideBar = await page.locator('.part.sidebar').boundingBox();
  if (!sideBar) throw new Error('no side bar');
  const right = sideBar.x + sideBar.width;
  // The vertical sash nearest the side bar's right edge is the one between it and the editor.
  const sashes = (await Promise.all((await page.locator('.monaco-sash.vertical').all()).map((s) => s.boundingBox())))
    .filter((b) => b !== null).sort((a, b) => Math.abs(a.x - right) - Math.abs(b.x - right));
  const sash = sashes[0];
  if (!sash || Math.abs(sash.x - right) > 10) throw new Error(`no sash at the side bar's edge (x ${right})`);
  const x = sash.x + sash.width / 2;
  const y = sideBar.y + sideBar.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  // As wide as asked, else as wide as VS Code lets it (the editor keeps its minimum width): probe results are long sentences.
  await page.mouse.move(width === undefined ? (page.viewportSize()?.width ?? 1400) - 200 : sideBar.x + width, y, { steps: 5 });
  await page.mouse.up();
}

/** Polls until check() returns a value, or fails after timeoutMs with what it saw last. */
export async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
