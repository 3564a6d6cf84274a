// One e2e test's VS Code session: a scratch folder, the packaged extension in code-server, a Chromium on its
// workbench, and a clean-up that takes all of it down in reverse order whatever happened (on the test's
// timeout too), so VS Code and its daemon never outlive the test.
import type { TestContext } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startCodeServer } from './code-server';
import { packageVsix, repoRoot, type VSCodeInstall } from './install';
import { openWorkbench } from './workbench';

// HANDSHAKE_SCREENSHOTS=docs refreshes the README's screenshots; otherwise they stay in the run's scratch dir.
const SCREENSHOTS = process.env.HANDSHAKE_SCREENSHOTS ? path.resolve(repoRoot, process.env.HANDSHAKE_SCREENSHOTS) : undefined;

export interface E2ESession {
  scratch: string;
  /** Where screenshots go: the README's folder when HANDSHAKE_SCREENSHOTS is set, else the scratch dir. */
  shots: string;
  /** Records how long the test took to reach a phase (printed as a diagnostic at the end). */
  mark(phase: string): void;
  /** A clean-up step; steps run in reverse order, each at most 10 s, whatever the others did. */
  onCleanup(step: () => unknown): void;
  /** Packages the extension, opens the workspace in code-server (with extra environment) and Chromium on it. */
  openVSCode(workspace: string, env?: NodeJS.ProcessEnv): Promise<Page>;
  /** Runs the checks on the page; on failure keeps failure.png and the scratch dir for a look. */
  check(page: Page, body: () => Promise<void>): Promise<void>;
}

export function e2eSession(t: TestContext, install: VSCodeInstall, label: string): E2ESession {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `hs-e2e-${label}-`));
  let passed = false;
  const started = Date.now();
  const phases: string[] = [];
  const cleanups: Array<() => unknown> = [() => {
    t.diagnostic(phases.join(', '));
    if (passed) fs.rmSync(scratch, { recursive: true, force: true });
    else t.diagnostic(`kept for a look: ${scratch} (code-server.log, failure.png)`);
  }];
  const cleanUp = async () => {
    for (const step of cleanups.splice(0).reverse()) {
      await Promise.race([Promise.resolve().then(step), new Promise((resolve) => setTimeout(resolve, 10_000).unref())])
        .catch((e) => t.diagnostic(`clean-up: ${e}`));
    }
  };
  t.after(cleanUp);
  t.signal.addEventListener('abort', () => void cleanUp());

  const session: E2ESession = {
    scratch,
    shots: SCREENSHOTS ?? scratch,
    mark: (phase) => phases.push(`${phase} ${((Date.now() - started) / 1000).toFixed(1)}s`),
    onCleanup: (step) => cleanups.push(step),
    async openVSCode(workspace, env) {
      const vsix = await packageVsix(install, scratch);
      session.mark('packaged');
      const server = await startCodeServer(install, vsix, workspace, scratch, env);
      session.onCleanup(() => server.stop());
      session.mark('code-server up');
      const { page, close } = await openWorkbench(install.chromium, server.url, scratch);
      session.onCleanup(() => close());
      return page;
    },
    async check(page, body) {
      try {
        await body();
        passed = true;
      } catch (e) {
        await page.screenshot({ path: path.join(scratch, 'failure.png') }).catch(() => undefined);
        throw e;
      }
    },
  };
  return session;
}
