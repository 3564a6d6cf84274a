// The product's main answer in a real VS Code: the fixture stack brought up by `handshake up` in its
// migrate-fails variant, then the packaged extension's Stack view on a workspace whose config names the
// fixture's compose files and project. The view must say that migrate failed and why (exit 1, the
// ImportError, the last log lines a click away), that backend is blocked by it (its WebSocket refused),
// and that db and auth are ready.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { fixtureStack, freePort } from '../fixtures/stack/fixture';
import { handshake } from '../stack/e2e-support';
import { requireDocker } from '../support/docker';
import { requireVSCode } from './install';
import { e2eSession } from './session';
import { eventually, handshakeIcon, stackPane, widenSideBar } from './workbench';

test('the Stack view on a failing stack: migrate failed with its ImportError, backend blocked by it', { timeout: 90_000 }, async (t) => {
  const install = requireVSCode(t);
  if (!install) return;
  if (!await requireDocker(t)) return;
  const session = e2eSession(t, install, 'vscode-stack');
  const stack = await fixtureStack('e2e-vscode', 'migrate-fails');
  // The stack comes up (and fails) while VS Code starts: the view must follow it live either way.
  const up = handshake(stack, ['up']);
  // Registered first, so it runs last (after VS Code and its daemon are gone); after `up` ends, so nothing it
  // starts outlives the `down`.
  session.onCleanup(() => up.then(() => stack.down()));

  const workspace = path.join(session.scratch, 'workspace');
  fs.mkdirSync(workspace);
  const config = { compose: { files: stack.files, projectName: stack.project }, backend: { port: await freePort() } };
  fs.writeFileSync(path.join(workspace, 'handshake.config.json'), JSON.stringify(config, null, 2));
  // The fixture's ports and secret, as the developer's shell would export them for compose's interpolation.
  const { HS_DB_PORT, HS_AUTH_PORT, HS_BACKEND_PORT, HS_JWT_SECRET } = stack.env;
  const page = await session.openVSCode(workspace, { HS_DB_PORT, HS_AUTH_PORT, HS_BACKEND_PORT, HS_JWT_SECRET });
  const run = await up;
  assert.equal(run.code, 1, `handshake up on the migrate-fails variant must fail:\n${run.stdout}\n${run.stderr}`);
  session.mark('stack failed');

  await session.check(page, async () => {
    await handshakeIcon(page).waitFor({ timeout: 45_000 });
    await handshakeIcon(page).click();
    const pane = stackPane(page);
    await page.setViewportSize({ width: 1400, height: 640 });   // the tree's height and no more: a legible picture
    await collapseOtherViews(page);
    await widenSideBar(page);
    session.mark('workbench ready');

    const services = await eventually('db and auth ready, migrate failed, backend blocked', 30_000, async () => {
      const tree = await serviceRows(pane);
      const ok = /^ready/.test(tree.db?.description ?? '') && /^ready/.test(tree.auth?.description ?? '') &&
        /^failed/.test(tree.migrate?.description ?? '') && /^blocked/.test(tree.backend?.description ?? '');
      if (!ok) throw new Error(`the Stack view shows ${JSON.stringify(tree)}`);
      return tree;
    });
    const migrate = services.migrate!.children.join('\n');
    assert.match(migrate, /container\s+exited · code 1/, migrate);
    assert.match(migrate, /cause\s+ImportError: No module named 'psycopg2'/, migrate);
    const backend = services.backend!.children.join('\n');
    assert.match(backend, /blocked by\s+migrate/, backend);
    assert.match(backend, /cause \(in migrate\)\s+ImportError: No module named 'psycopg2'/, backend);
    assert.match(backend, new RegExp(`websocket ws://127\\.0\\.0\\.1:${HS_BACKEND_PORT}/ws .*: connection refused: nothing is listening`), backend);

    // The last log lines, one click away under migrate's cause.
    await pane.locator('.monaco-list-row[aria-level="3"]', { hasText: 'ImportError', hasNotText: '(in migrate)' }).click();
    const logs = await eventually('migrate\'s last log lines under its cause', 10_000, async () => {
      const lines = (await serviceRows(pane)).migrate?.children ?? [];
      return lines.some((l) => /Traceback \(most recent call last\)/.test(l)) ? lines : undefined;
    });
    assert.ok(logs.some((l) => /migrate: applying migrations/.test(l)), logs.join('\n'));
    // The status bar names the culprit too.
    await page.locator('.statusbar-item', { hasText: 'migrate failed' }).first().waitFor({ timeout: 10_000 });
    session.mark('stack view');
    await page.mouse.move(0, 0);   // no hover highlight or tooltip in the picture
    await page.screenshot({ path: path.join(session.shots, 'vscode-stack.png') });
  });
});

interface ServiceRow { description: string; children: string[] }

/** The Stack tree as rendered (the project's node, its services a level below): each service's description and
 *  its descendants' rows ("label description"). */
async function serviceRows(pane: Locator): Promise<Record<string, ServiceRow>> {
  const rows = await pane.locator('.monaco-list-row').evaluateAll((nodes) => nodes.map((n) => ({
    index: Number(n.getAttribute('data-index')), level: Number(n.getAttribute('aria-level')),
    // A row is a label and a description, two spans the text runs together: read them apart.
    label: n.querySelector('.label-name')?.textContent ?? '', description: n.querySelector('.label-description')?.textContent ?? '',
  })));
  const tree: Record<string, ServiceRow> = {};
  let current: ServiceRow | undefined;
  for (const row of rows.sort((a, b) => a.index - b.index)) {
    if (row.level === 2) tree[row.label] = current = { description: row.description, children: [] };
    else if (row.level > 2) current?.children.push(`${row.label} ${row.description}`.trim());
  }
  return tree;
}

/** Collapses the container's other views (Connections) so the Stack tree has the side bar's height. */
async function collapseOtherViews(page: Page): Promise<void> {
  const headers = page.locator('.sidebar .pane-header[aria-expanded="true"]', { hasNotText: 'Stack' });
  for (const header of await headers.all()) await header.click();
}
