// The backend's HTTP side on the WebSocket port, and what the inspector's observer hook receives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import WebSocket from 'ws';
import type { ConnectionClosed, ConnectionOpened, FrameSeen, HandshakeRefused } from '../../server/inspector/events';
import { connect, refusal, startTestBackend, token } from './support';
import { startBackend } from '../../server/backend/backend';
import { loadConfig } from '../../server/config/config';
import { tempTree } from '../support/temp-tree';

test('GET /health and /ws/health answer 200 healthy; /ws/config describes endpoint, auth, limits, heartbeat, time', async (t) => {
  const backend = await startTestBackend(t, { profile: 'staging' });
  const health = await fetch(`${backend.httpUrl}/health`);
  assert.equal(health.status, 200);
  assert.equal((await health.json() as { status: string }).status, 'healthy');
  const wsHealth = await fetch(`${backend.httpUrl}/ws/health`);
  assert.equal(wsHealth.status, 200);
  assert.equal((await wsHealth.json() as { status: string }).status, 'healthy');
  const config = await (await fetch(`${backend.httpUrl}/ws/config`)).json() as Record<string, any>;
  assert.equal(config.endpoint, backend.wsUrl);
  assert.deepEqual(config.auth.methods, ['header', 'subprotocol']);
  assert.equal(config.limits.messages_per_minute, 100);
  assert.equal(config.heartbeat_interval_ms, 30_000);
  assert.ok(Math.abs(Date.parse(config.server_time) - Date.now()) < 5_000);
  const missing = await fetch(`${backend.httpUrl}/nope`);
  assert.equal(missing.status, 404);
  assert.equal((await missing.json() as { error: string }).error, 'not_found');
  const plainGet = await fetch(`${backend.httpUrl}/ws`);
  assert.equal(plainGet.status, 426);
  assert.equal((await plainGet.json() as { error: string }).error, 'upgrade_required');
  const post = await fetch(`${backend.httpUrl}/health`, { method: 'POST' });
  assert.equal(post.status, 405);
});

test('while shutting down /ws/health answers 503 service_not_ready and clients get 1001', async (t) => {
  const backend = await startTestBackend(t);
  // A client that does not answer the close frame keeps the shutdown in its grace period.
  const stuck = await connect(t, backend.wsUrl, { token: await token('stuck') });
  (stuck.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  const polite = await connect(t, backend.wsUrl, { token: await token('polite') });
  const closing = backend.close();
  assert.equal((await polite.closed).code, 1001);
  const res = await fetch(`${backend.httpUrl}/ws/health`);
  assert.equal(res.status, 503);
  assert.deepEqual(await res.json(), { status: 'unhealthy', error: 'service_not_ready', message: 'the WebSocket service is shutting down and accepts no new connections' });
  await closing;
  assert.equal(backend.connectionCount(), 0);
});

test('the observer sees the opening (credentials redacted), every frame, and the close', async (t) => {
  const opened: ConnectionOpened[] = [];
  const frames: FrameSeen[] = [];
  const closed: ConnectionClosed[] = [];
  const refused: HandshakeRefused[] = [];
  const backend = await startTestBackend(t);
  backend.events.subscribe({ connectionOpened: (e) => opened.push(e), frame: (e) => frames.push(e),
    connectionClosed: (e) => closed.push(e), handshakeRefused: (e) => refused.push(e) });
  const jwt = await token('nina');
  const viaHeader = await connect(t, backend.wsUrl, { token: jwt });
  const viaProtocol = await connect(t, backend.wsUrl, { protocols: [`jwt.${jwt}`] });
  viaHeader.send({ type: 'ping' });
  await viaHeader.waitFor((e) => e.type === 'pong');
  await viaHeader.close();
  await viaProtocol.close();
  const expired = await token('nina', { ttl: '-1m' });
  await refusal(backend.wsUrl, { headers: { Authorization: `Bearer ${expired}` } });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(refused.map((r) => [r.status, r.reason]), [[401, 'token_expired']]);
  assert.match(refused[0]!.requestHeaders.authorization ?? '', /^Bearer .{1,8}$/);
  assert.equal(opened.length, 2);
  assert.equal(opened[0]!.userId, 'nina');
  assert.match(opened[0]!.requestHeaders.authorization ?? '', /^Bearer .{1,8}$/);
  assert.match(opened[1]!.requestHeaders['sec-websocket-protocol'] ?? '', /^jwt\..{1,8}$/);
  assert.equal(opened[0]!.responseHeaders.upgrade, 'websocket');
  assert.match(opened[1]!.responseHeaders['sec-websocket-protocol'] ?? '', /^jwt\..{1,8}$/, 'the echoed token-bearing subprotocol is redacted');
  assert.ok(!JSON.stringify([opened, frames, closed, refused]).includes(jwt.slice(20)) && !JSON.stringify(refused).includes(expired.slice(20)), 'no token reaches the observer');
  const mine = frames.filter((f) => f.connectionId === opened[0]!.id).map((f) => `${f.from}:${f.jsonType}`);
  assert.deepEqual(mine, ['server:connection_established', 'client:ping', 'server:pong']);
  assert.deepEqual(closed.map((c) => c.code).sort(), [1005, 1005]);
  assert.equal(new Set(closed.map((c) => c.id)).size, 2);
});

test('a third-party client with only the ws library can use the backend end to end', async (t) => {
  const backend = await startTestBackend(t);
  const ws = new WebSocket(backend.wsUrl, { headers: { Authorization: `Bearer ${await token('plain')}` } });
  t.after(() => ws.terminate());
  const types: string[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (data) => {
      const event = JSON.parse(String(data)) as { type: string };
      types.push(event.type);
      if (event.type === 'connection_established') ws.send(JSON.stringify({ type: 'start_agent', data: { query: 'hi', step_delay_ms: 0 } }));
      if (event.type === 'agent_completed') resolve();
    });
    ws.on('error', reject);
  });
  assert.deepEqual(types, ['connection_established', 'agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed']);
});

test('an IPv6 loopback host gets bracketed URLs that work, in the backend and in the config\'s local target', async () => {
  const backend = await startBackend({ host: '::1', port: 0, profile: 'development', secret: 'ipv6-secret-0123456789abcdef' });
  try {
    assert.equal(backend.httpUrl, `http://[::1]:${backend.port}`);
    assert.equal((await fetch(`${backend.httpUrl}/health`)).status, 200);
  } finally {
    await backend.close();
  }
  const workspace = tempTree({ 'handshake.config.json': JSON.stringify({ backend: { host: '::1', port: 8799 } }) });
  try {
    assert.equal(loadConfig(workspace, {}).targets.local?.url, 'ws://[::1]:8799/ws');
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
