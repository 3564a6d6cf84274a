// The daemon as the extension runs it (IPC): after `initialized` it starts the local backend from the
// workspace config, announces it, signs dev tokens on request, and the token opens a real WebSocket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { InitializedNotification } from 'vscode-languageserver-protocol/node';
import { BackendStartedNotification, StackStateRequest, TokenRequest, type BackendInfo } from '../../$shared/protocol';
import { daemonWithBackend, forkDaemon } from '../support/daemon';
import { tempTree } from '../support/temp-tree';

test('daemon starts the backend, announces it and signs tokens that the backend accepts', async () => {
  const workspace = tempTree({ 'handshake.config.json': JSON.stringify({ profile: 'staging', backend: { port: 0 } }) }, 'hs-daemon-');
  const { daemon, backend: info } = await daemonWithBackend(workspace);
  const connection = daemon.connection;
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
    ws.close();

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
