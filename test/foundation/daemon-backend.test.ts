// The daemon as the extension runs it (IPC): after `initialized` it starts the local backend from the
// workspace config, announces it, signs dev tokens on request, and the token opens a real WebSocket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { createProtocolConnection, IPCMessageReader, IPCMessageWriter, InitializeRequest, InitializedNotification, ShutdownRequest, ExitNotification } from 'vscode-languageserver-protocol/node';
import { BackendStartedNotification, StackStateRequest, TokenRequest, type BackendInfo } from '../../$shared/protocol';

const daemon = path.resolve(__dirname, '../../../dist/daemon.js');

test('daemon starts the backend, announces it and signs tokens that the backend accepts', async () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-daemon-'));
  fs.writeFileSync(path.join(workspace, 'handshake.config.json'), JSON.stringify({ profile: 'staging', backend: { port: 0 } }));
  const env = { ...process.env, XDG_STATE_HOME: path.join(workspace, '.state'), HANDSHAKE_JWT_SECRET: '' };
  const child = fork(daemon, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env });
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const announced = new Promise<BackendInfo | { error: string }>((resolve) => connection.onNotification(BackendStartedNotification.type, resolve));
  connection.listen();
  try {
    await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(workspace).href, capabilities: {}, workspaceFolders: null });
    await connection.sendNotification(InitializedNotification.type, {});
    const info = await announced;
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

    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
  } finally {
    connection.dispose();
    child.kill();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});

test('a malformed config: the daemon keeps serving and says which file, line and field, everywhere', async () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-daemon-'));
  fs.writeFileSync(path.join(workspace, 'handshake.config.json'), '{\n  "profile": "prod",\n  "backend": { "port": 0 }\n}\n');
  const env = { ...process.env, XDG_STATE_HOME: path.join(workspace, '.state') };
  const child = fork(daemon, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const announced = new Promise<BackendInfo | { error: string }>((resolve) => connection.onNotification(BackendStartedNotification.type, resolve));
  const shown = new Promise<string>((resolve) => connection.onRequest('window/showMessageRequest', (p: { message: string }) => { resolve(p.message); return null; }));
  connection.listen();
  try {
    await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(workspace).href, capabilities: {}, workspaceFolders: null });
    await connection.sendNotification(InitializedNotification.type, {});
    const where = /handshake\.config\.json:2: profile: must be one of/;
    const info = await announced;
    assert.ok('error' in info);
    assert.match(info.error, where, 'the backend does not start on defaults');
    assert.match(await shown, where, 'the user is told');
    const state = await connection.sendRequest(StackStateRequest.type, undefined);
    assert.match(state.composeError ?? '', where);
    assert.equal(state.ready, false);
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0);
  } finally {
    connection.dispose();
    child.kill();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
