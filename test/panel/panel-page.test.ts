// The message panel's page in Chromium against a real daemon (test/panel/page-harness.ts): two users side by
// side on the local backend, alice's start_agent with the five events checked green, the isolation check,
// the filter, the token's claims without the token, the close code on disconnect, and a reload restoring the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { AGENT_EVENTS } from '../../$shared/wire';
import { CHROMIUM, openPanelPage } from './page-harness';

test('the panel page: mint, connect two users, start_agent checked green, isolation, filter, close code', { timeout: 60_000 }, async (t) => {
  if (!fs.existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') throw new Error(`no Chromium at ${CHROMIUM}`);
    return t.skip(`no Chromium at ${CHROMIUM} (bash scripts/setup-vscode.sh installs it)`);
  }
  const panel = await openPanelPage();
  const { page } = panel;
  try {
    const target = page.locator('[data-role="target"]');
    await target.locator('option', { hasText: 'local' }).first().waitFor({ state: 'attached', timeout: 10_000 });
    assert.equal(await target.inputValue(), panel.backend.wsUrl, 'the local backend is the first target');
    await page.locator('[data-role="add-user"]').click();
    const [alice, bob] = [page.locator('[data-role="column"]').nth(0), page.locator('[data-role="column"]').nth(1)];
    assert.equal(await bob.locator('[data-role="user"]').inputValue(), 'bob');
    await alice.locator('[data-role="extra-claims"]').fill('{"role":"tester"}');
    await alice.locator('[data-role="extra-claims"]').dispatchEvent('change');
    await alice.locator('[data-role="auth"]').selectOption('subprotocol');
    for (const column of [alice, bob]) await column.locator('[data-role="connect"]').click();
    for (const column of [alice, bob]) await column.and(page.locator('[data-status="open"]')).waitFor({ timeout: 10_000 });

    // The claims and a countdown, never the token.
    const claims = JSON.parse(await alice.locator('[data-role="claims"]').innerText()) as Record<string, unknown>;
    assert.equal(claims.sub, 'alice');
    assert.equal(claims.role, 'tester');
    assert.ok(Number(claims.exp) > Date.now() / 1000);
    await alice.locator('[data-role="status"]', { hasText: /token expires in 1[45]:\d\d/ }).waitFor({ timeout: 5_000 });
    assert.match(await alice.locator('[data-role="status"]').innerText(), /protocol jwt-auth/, 'subprotocol auth: the server picked the bare name');

    await alice.locator('[data-role="template"]').selectOption('start_agent');
    assert.equal(await alice.locator('[data-role="expect"]').inputValue(), AGENT_EVENTS.join(','));
    await alice.locator('[data-role="send"]').click();
    await alice.locator('[data-role="check"][data-verdict="passed"]').waitFor({ timeout: 15_000 });
    const steps = await alice.locator('[data-role="check"] li.passed:not(.verdict)').allInnerTexts();
    assert.deepEqual(steps.map((s) => s.split(' ')[1]), [...AGENT_EVENTS]);
    assert.ok(steps.every((s) => /\+\d+ ms$/.test(s)), steps.join('\n'));

    // Isolation: alice runs again; bob must see none of it.
    await page.locator('[data-role="isolation-check"]').click();
    await page.locator('[data-role="isolation"][data-verdict="passed"]').waitFor({ timeout: 15_000 });
    assert.match(await page.locator('[data-role="isolation"]').innerText(), /reached alice only; bob received none of it/);
    const bobTypes = await bob.locator('[data-role="event-type"]').allInnerTexts();
    assert.deepEqual(bobTypes, ['connection_established']);

    // The filter hides what does not match; ping/pong are hidden by default.
    await bob.locator('[data-role="message"]').fill('{"type":"ping"}');
    await bob.locator('[data-role="send"]').click();
    await bob.locator('.row.from-server', { hasText: 'pong' }).waitFor({ state: 'attached', timeout: 5_000 });
    assert.equal(await bob.locator('.row.from-server', { hasText: 'pong' }).isVisible(), false, 'pong hidden by default');
    await page.locator('[data-role="filter"]').fill('thinking');
    const shown = await alice.locator('.row:visible [data-role="event-type"]').allInnerTexts();
    assert.ok(shown.length >= 2 && shown.every((s) => s === 'agent_thinking'), shown.join(','));

    await alice.locator('[data-role="connect"]').click();
    await alice.locator('[data-role="status"]', { hasText: 'closed 1000 (normal closure)' }).waitFor({ timeout: 5_000 });

    // A reload (VS Code restoring the panel) brings the columns and timelines back from the saved state; a
    // connection that was open belonged to the old page and says so.
    const aliceRows = await alice.locator('.row').count();
    await page.reload();
    await bob.locator('[data-role="status"]', { hasText: 'the window reloaded; connect again' }).waitFor({ timeout: 10_000 });
    assert.equal(await alice.locator('.row').count(), aliceRows);
    assert.equal(await page.locator('[data-role="filter"]').inputValue(), 'thinking');

    // Nothing the page received holds a token, and the page broke none of its CSP.
    const jwt = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]+/;
    assert.ok(panel.posted.length > 10);
    assert.equal(panel.posted.find((m) => jwt.test(m)), undefined);
    assert.deepEqual(panel.consoleErrors, []);
  } finally {
    await panel.close();
  }
});
