// The panel's daemon side over LSP, as the extension reaches it (dist/daemon.js over IPC): the library
// (targets, templates from the schema, saved messages), saving a message to the workspace file with schema
// checks, and connects it refuses with a reason (claims the daemon owns, a URL that is not ws://, a closed port).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PanelConnectRequest, PanelLibraryRequest, PanelSaveRequest, PanelSendRequest } from '../../$shared/protocol';
import { freePort } from '../fixtures/stack/fixture';
import { daemonWithBackend } from '../support/daemon';
import { tempTree } from '../support/temp-tree';

test('the panel\'s daemon side: library, saved messages, and refusals that say why', { timeout: 30_000 }, async () => {
  const workspace = tempTree({ 'handshake.config.json': JSON.stringify({ backend: { port: 0 }, targets: { staging: { url: 'wss://staging.invalid/ws', auth: 'subprotocol' } } }) }, 'hs-panel-');
  const { daemon, backend } = await daemonWithBackend(workspace, { ...process.env, XDG_STATE_HOME: path.join(workspace, '.state') });
  const c = daemon.connection;
  try {

    const library = await c.sendRequest(PanelLibraryRequest.type);
    assert.deepEqual(library.targets.map((t) => [t.name, t.kind]).slice(0, 3), [['local', 'local'], ['stack', 'stack'], ['staging', 'config']]);
    assert.equal(library.targets[0]?.url, backend.wsUrl, 'local is the backend as it runs, not the config\'s port 0');
    assert.equal(library.targets[2]?.auth, 'subprotocol');
    assert.deepEqual(library.templates.map((t) => t.name).filter((n) => !n.includes('(fail')), ['start_agent', 'user_message', 'stop_agent', 'ping']);
    assert.deepEqual(library.saved, []);

    const entry = { name: 'golden path', message: { type: 'start_agent', data: { query: 'hi' } }, expect: ['agent_started', 'agent_completed'] };
    const saved = await c.sendRequest(PanelSaveRequest.type, { entry });
    assert.deepEqual(saved, { file: path.join(workspace, 'handshake.messages.json') });
    const refused = await c.sendRequest(PanelSaveRequest.type, { entry: { name: 'bad', message: { type: 'start_agent', data: {} } } });
    assert.ok('error' in refused && /^not saved: \/message\/data: must have required property 'query'/.test(refused.error), JSON.stringify(refused));
    assert.deepEqual((await c.sendRequest(PanelLibraryRequest.type)).saved, [entry], 'the good entry only');
    fs.writeFileSync(path.join(workspace, 'handshake.messages.json'), '{"messages": [{"name": "x"}]}');
    assert.match((await c.sendRequest(PanelLibraryRequest.type)).savedError ?? '', /handshake.messages.json: \/messages\/0: must have required property 'message'/);

    const connect = { user: 'alice', url: backend.wsUrl, auth: 'header' as const };
    const reserved = await c.sendRequest(PanelConnectRequest.type, { ...connect, claims: { sub: 'mallory' } });
    assert.deepEqual(reserved, { ok: false, error: 'extra claims may not set sub (the user id and TTL fields do)' });
    const notWs = await c.sendRequest(PanelConnectRequest.type, { ...connect, url: 'http://127.0.0.1:1/ws' });
    assert.ok(!notWs.ok && /not a ws:\/\/ or wss:\/\/ URL/.test(notWs.error));
    const closed = await c.sendRequest(PanelConnectRequest.type, { ...connect, url: `ws://127.0.0.1:${await freePort()}/ws` });
    assert.ok(!closed.ok && /refused/.test(closed.error), JSON.stringify(closed));
    assert.deepEqual(await c.sendRequest(PanelSendRequest.type, { sessionId: 'panel_gone', message: { type: 'ping' } }), { error: 'not connected (the connection closed)' });
    await daemon.shutdown();
  } finally {
    daemon.dispose();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
