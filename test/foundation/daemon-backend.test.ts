// The daemon as the extension runs it (IPC): after `initialized` it starts the local backend from the
// workspace config, announces it, signs dev tokens on request, and the token opens a real WebSocket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import WebSocket from 'ws';
import { InitializedNotification } from 'vscode-languageserver-protocol/node';
import {
  BackendRequest, BackendStartedNotification, ConnectionChangedNotification, StartProxyRequest, ConnectionRequest, ConnectionsRequest, ExportConnectionsRequest, StackStateRequest,
  TokenRequest, type BackendInfo, type ConnectionSummary,
} from '../../$shared/protocol';
import { daemonWithBackend, forkDaemon } from '../support/daemon';
import { tempTree } from '../support/temp-tree';

test('daemon starts the backend, announces it and signs tokens that the backend accepts', async () => {
  const workspace = tempTree({ 'handshake.config.json': JSON.stringify({ profile: 'staging', backend: { port: 0 } }) }, 'hs-daemon-');
  const { daemon, backend: info } = await daemonWithBackend(workspace);
  const connection = daemon.connection;
  const changes: ConnectionSummary[] = [];
  connection.onNotification(ConnectionChangedNotification.type, (c) => { changes.push(c); });
  try {
    assert.ok(!('error' in info), `backend failed: ${JSON.stringify(info)}`);
    assert.equal(info.profile, 'staging');
    assert.match(info.wsUrl, /^ws:\/\/127\.0\.0\.1:\d+\/ws$/);

    const { token, expiresAt } = await connection.sendRequest(TokenRequest.type, { user: 'panel-user', ttl: '5m' });
    assert.ok(Date.parse(expiresAt) > Date.now());
    const ws = new WebSocket(info.wsUrl, { headers: { Authorization: `Bearer ${token}` } });
    const first = await new Promise<{ type: string; data: { user_id: string } }>((resolve, reject) => {
      ws.once('message', (m) => resolve(JSON.parse(String(m))));
      ws.once('error', reject);
    });
    assert.equal(first.type, 'connection_established');
    assert.equal(first.data.user_id, 'panel-user');
    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.close(1000, 'done');
    await closed;

    // The inspector saw it: listed, announced as it opened and closed, its frames kept, exportable.
    for (let i = 0; i < 100 && !changes.some((c) => c.phase === 'closed'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(changes.map((c) => c.phase).slice(0, 2), ['open', 'closed']);
    const { connections } = await connection.sendRequest(ConnectionsRequest.type, { user: 'panel-user' });
    assert.deepEqual(connections.map((c) => [c.source, c.userId, c.closeCode]), [['backend', 'panel-user', 1000]]);
    const detail = await connection.sendRequest(ConnectionRequest.type, { id: connections[0]!.id });
    assert.equal(detail?.frames[0]?.jsonType, 'connection_established');
    const { text } = await connection.sendRequest(ExportConnectionsRequest.type, { format: 'jsonl' });
    assert.ok(!text.includes(token.split('.')[2]!), 'no token signature in the export');

    // Start Recording Proxy…: loopback only, a ws(s) target, then it relays (and records) like `handshake proxy`.
    const origin = info.wsUrl.replace(/\/ws$/, '');
    assert.match(JSON.stringify(await connection.sendRequest(StartProxyRequest.type, { listen: '10.1.2.3:8003', target: origin })), /loopback/);
    assert.match(JSON.stringify(await connection.sendRequest(StartProxyRequest.type, { listen: '127.0.0.1:0', target: 'http://x' })), /ws:\/\/ or wss:\/\//);
    const proxy = await connection.sendRequest(StartProxyRequest.type, { listen: '127.0.0.1:0', target: origin });
    assert.ok('listen' in proxy, JSON.stringify(proxy));
    const proxied = new WebSocket(`ws://${proxy.listen}/ws`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(JSON.parse(String((await once(proxied, 'message'))[0])).type, 'connection_established');
    proxied.close();

    // Stop Local Backend, then Start Local Backend: connections are refused between, served after.
    const stopped = await connection.sendRequest(BackendRequest.type, { action: 'stop' });
    assert.ok(!('error' in stopped) && stopped.wsUrl === info.wsUrl);
    const refused = new WebSocket(info.wsUrl);
    await assert.rejects(once(refused, 'open'), /ECONNREFUSED/);
    assert.match(JSON.stringify(await connection.sendRequest(BackendRequest.type, { action: 'stop' })), /not running/);
    const restarted = await connection.sendRequest(BackendRequest.type, { action: 'start' });
    assert.ok(!('error' in restarted), JSON.stringify(restarted));
    const again = new WebSocket(restarted.wsUrl, { headers: { Authorization: `Bearer ${token}` } });
    await once(again, 'open');
    again.close();

    const state = await connection.sendRequest(StackStateRequest.type, undefined);
    assert.equal(state.ready, false, 'no compose file in this workspace: the stack cannot be ready');

    await daemon.shutdown();
  } finally {
    daemon.dispose();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});

test('a malformed config: the daemon keeps serving and says which file, line and field, everywhere', async () => {
  const workspace = tempTree({ 'handshake.config.json': '{\n  "profile": "prod",\n  "backend": { "port": 0 }\n}\n' }, 'hs-daemon-');
  const daemon = forkDaemon({ env: { ...process.env, XDG_STATE_HOME: path.join(workspace, '.state') } });
  const connection = daemon.connection;
  const announced = new Promise<BackendInfo | { error: string }>((resolve) => connection.onNotification(BackendStartedNotification.type, resolve));
  const shown = new Promise<string>((resolve) => connection.onRequest('window/showMessageRequest', (p: { message: string }) => { resolve(p.message); return null; }));
  connection.listen();
  try {
    await daemon.initialize(workspace);
    await connection.sendNotification(InitializedNotification.type, {});
    const where = /handshake\.config\.json:2: profile: must be one of/;
    const info = await announced;
    assert.ok('error' in info);
    assert.match(info.error, where, 'the backend does not start on defaults');
    assert.match(await shown, where, 'the user is told');
    const state = await connection.sendRequest(StackStateRequest.type, undefined);
    assert.match(state.composeError ?? '', where);
    assert.equal(state.ready, false);
    await daemon.shutdown();
    assert.equal(await daemon.exited, 0);
  } finally {
    daemon.dispose();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
