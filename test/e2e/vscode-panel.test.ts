// Issue 8's answer in a real VS Code (code-server, the packaged .vsix, Chromium, a real Docker Engine): the
// palette's Start Stack brings the fixture stack to ready in the Stack view, with progress per service; the
// message panel mints tokens, connects alice to the local backend, sends start_agent and checks the five
// events green; bob sees none of alice's run; the Connections view lists both with their close codes;
// Stop Stack stops the stack. Screenshots of the panel and the Connections view go to the README.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { AGENT_EVENTS } from '../../$shared/wire';
import { fixtureStack, freePort } from '../fixtures/stack/fixture';
import { requireDocker } from '../support/docker';
import { requireVSCode } from './install';
import { e2eSession } from './session';
import { eventually, handshakeIcon, runCommand, stackPane, viewPane, webviewFrame, widenSideBar } from './workbench';

test('VS Code: Start Stack, the message panel (five events, isolation), the Connections view, Stop Stack', { timeout: 240_000 }, async (t) => {
  const install = requireVSCode(t);
  if (!install) return;
  if (!await requireDocker(t)) return;
  const session = e2eSession(t, install, 'vscode-panel');
  const stack = await fixtureStack('e2e-panel');
  session.onCleanup(() => stack.down());   // registered first: runs after VS Code and its daemon are gone
  const workspace = path.join(session.scratch, 'workspace');
  fs.mkdirSync(workspace);
  const backendPort = await freePort();
  fs.writeFileSync(path.join(workspace, 'handshake.config.json'), JSON.stringify({ compose: { files: stack.files, projectName: stack.project }, backend: { port: backendPort } }, null, 2));
  const { HS_DB_PORT, HS_AUTH_PORT, HS_BACKEND_PORT, HS_JWT_SECRET } = stack.env;
  const page = await session.openVSCode(workspace, { HS_DB_PORT, HS_AUTH_PORT, HS_BACKEND_PORT, HS_JWT_SECRET });

  await session.check(page, async () => {
    await handshakeIcon(page).waitFor({ timeout: 45_000 });
    await handshakeIcon(page).click();
    await stackPane(page).locator('.monaco-list-row', { hasText: 'backend' }).first().waitFor({ timeout: 30_000 });
    session.mark('workbench ready');

    // The stack node: the compose project with its count, and Start/Stop Stack as its inline actions.
    const stackNode = stackPane(page).locator('.monaco-list-row[aria-level="1"]', { hasText: stack.project });
    await stackNode.filter({ hasText: '0/4 ready' }).waitFor({ timeout: 20_000 });
    await stackNode.hover();
    assert.deepEqual(await stackNode.locator('.actions .action-label').evaluateAll((as) => as.map((a) => a.getAttribute('aria-label'))),
      ['Start Stack', 'Stop Stack']);

    // Start Stack from the palette: a progress notification with a line per service, then every service ready.
    await runCommand(page, 'Handshake: Start Stack');
    const progress = new Set<string>();
    await eventually('the stack ready after Start Stack', 150_000, async () => {
      for (const toast of await page.locator('.notification-toast').allInnerTexts()) progress.add(toast.replace(/\s+/g, ' '));
      return [...progress].some((p) => /Handshake: \d service\(s\) ready in/.test(p)) ? true : undefined;
    });
    const lines = [...progress].join('\n');
    assert.match(lines, /Handshake: starting the stack/, lines);
    assert.match(lines, /(db|auth|migrate|backend): (creating|starting|healthy|running|completed|waiting)/, `a progress line per service:\n${lines}`);
    await page.locator('.statusbar-item', { hasText: 'Handshake: 4/4 ready' }).first().waitFor({ timeout: 30_000 });
    for (const name of ['db', 'migrate', 'auth', 'backend']) {
      await stackPane(page).locator('.monaco-list-row[aria-level="2"]', { hasText: new RegExp(`^\\s*${name}\\s*ready`) }).first().waitFor({ timeout: 20_000 });
    }
    session.mark('stack ready');
    await page.keyboard.press('Escape');
    await closeToasts(page);

    // The message panel: alice on the local backend, start_agent, the five events checked.
    await runCommand(page, 'Handshake: Open Message Panel');
    const panel = webviewFrame(page);
    const alice = panel.locator('[data-role="column"]').nth(0);
    await alice.waitFor({ timeout: 20_000 });
    assert.equal(await panel.locator('[data-role="target"]').inputValue(), `ws://127.0.0.1:${backendPort}/ws`, 'the local backend is the default target');
    await alice.locator('[data-role="connect"]').click();
    await panel.locator('[data-role="column"][data-status="open"]').first().waitFor({ timeout: 15_000 });
    await alice.locator('[data-role="template"]').selectOption('start_agent');
    await alice.locator('[data-role="send"]').click();
    await alice.locator('[data-role="check"][data-verdict="passed"]').waitFor({ timeout: 20_000 });
    const steps = await alice.locator('[data-role="check"] li.passed:not(.verdict)').allInnerTexts();
    assert.deepEqual(steps.map((s) => s.split(' ')[1]), [...AGENT_EVENTS]);
    assert.equal(JSON.parse(await alice.locator('[data-role="claims"]').innerText()).sub, 'alice');

    // bob beside alice: alice's next run reaches alice only.
    await panel.locator('[data-role="add-user"]').click();
    const bob = panel.locator('[data-role="column"]').nth(1);
    await bob.locator('[data-role="connect"]').click();
    await panel.locator('[data-role="column"][data-status="open"]').nth(1).waitFor({ timeout: 15_000 });
    await panel.locator('[data-role="isolation-check"]').click();
    await panel.locator('[data-role="isolation"][data-verdict="passed"]').waitFor({ timeout: 20_000 });
    assert.deepEqual(await bob.locator('[data-role="event-type"]').allInnerTexts(), ['connection_established']);
    session.mark('panel');
    await page.setViewportSize({ width: 1400, height: 1000 });   // the timeline below the check, in the picture
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(session.shots, 'vscode-panel.png') });

    // The Connections view: both panel connections, then their close codes once the panel disconnects them.
    const connections = viewPane(page, 'Connections');
    await expandView(page, 'Connections');
    await widenSideBar(page, 640);   // the rows' descriptions (target, close code and its meaning) in full
    for (const user of ['alice', 'bob']) await connections.locator('.monaco-list-row', { hasText: user }).filter({ hasText: 'client/panel' }).first().waitFor({ timeout: 15_000 });
    for (const column of [alice, bob]) await column.locator('[data-role="connect"]').click();
    for (const user of ['alice', 'bob']) {
      await connections.locator('.monaco-list-row', { hasText: user }).filter({ hasText: 'closed 1000 (normal closure)' }).first().waitFor({ timeout: 15_000 });
    }
    // Selecting one shows its frames in the panel.
    await connections.locator('.monaco-list-row', { hasText: 'alice' }).filter({ hasText: 'client/panel' }).first().click();
    await panel.locator('[data-role="inspector"] h2', { hasText: 'alice' }).waitFor({ timeout: 10_000 });
    assert.ok((await panel.locator('[data-role="inspector"] [data-role="event-type"]').allInnerTexts()).includes('agent_completed'));
    session.mark('connections');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(session.shots, 'vscode-connections.png') });

    // Stop Stack: the long-running services stop; containers stay (the Stack view is still in sight).
    await runCommand(page, 'Handshake: Stop Stack');
    await page.locator('.statusbar-item', { hasText: 'Handshake: 1/4 ready' }).first().waitFor({ timeout: 60_000 });
    for (const name of ['db', 'auth', 'backend']) {
      await stackPane(page).locator('.monaco-list-row[aria-level="2"]', { hasText: new RegExp(`^\\s*${name}\\s*stopped`) }).first().waitFor({ timeout: 60_000 });
    }
    session.mark('stack stopped');

    // The daemon dies: the language client starts it again and the views load the new daemon's state (its
    // inspector has recorded nothing yet, so the old connections go).
    const [daemonPid] = daemonPids(session.scratch);
    assert.ok(daemonPid, 'the extension\'s daemon runs');
    process.kill(daemonPid, 'SIGKILL');
    await eventually('a new daemon', 30_000, async () => daemonPids(session.scratch).find((p) => p !== daemonPid));
    await connections.locator('.monaco-list-row').first().waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator('.statusbar-item', { hasText: 'Handshake: 1/4 ready' }).first().waitFor({ timeout: 30_000 });
    session.mark('daemon restarted');
  });
});

/** The extension's daemon processes of this run (their command line names the run's extensions folder). */
function daemonPids(scratch: string): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.includes(scratch) && cmd.includes('dist/daemon.js') ? [Number(pid)] : [];
    } catch {
      return [];   // gone meanwhile
    }
  });
}

/** Dismisses notifications so they cover no screenshot. */
async function closeToasts(page: Page): Promise<void> {
  for (const close of await page.locator('.notification-toast .codicon-notifications-clear').all()) await close.click().catch(() => undefined);
}

/** Expands a collapsed view of the Handshake container. */
async function expandView(page: Page, name: string): Promise<void> {
  const header = page.locator('.sidebar .pane-header', { hasText: name });
  if (await header.getAttribute('aria-expanded') !== 'true') await header.click();
}

