// Heartbeats with a short interval: a client that answers pings stays; one that misses two is cut off, its
// slot and runs freed, so the user can connect again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, delay, startTestBackend, token } from './support';

const HEARTBEAT_MS = 100;

test('a client that answers pings stays connected across many heartbeats', async (t) => {
  const backend = await startTestBackend(t, { heartbeatMs: HEARTBEAT_MS });
  const client = await connect(t, backend.wsUrl, { token: await token('steady') });
  let pings = 0;
  client.ws.on('ping', () => pings++);
  await delay(HEARTBEAT_MS * 6);
  assert.ok(pings >= 4, `expected several pings, got ${pings}`);
  assert.equal(client.ws.readyState, client.ws.OPEN);
  assert.equal((client.events[0]!.data.limits as { heartbeat_interval_ms: number }).heartbeat_interval_ms, HEARTBEAT_MS);
});

test('clients that miss two heartbeats are closed and freed; the user can then open new connections', async (t) => {
  const backend = await startTestBackend(t, { heartbeatMs: HEARTBEAT_MS });
  const jwt = await token('sleepy');
  // autoPong false: the ws client receives pings but never answers, like a frozen tab.
  const silent = await Promise.all([1, 2, 3].map(() => connect(t, backend.wsUrl, { token: jwt, ws: { autoPong: false } })));
  silent[0]!.send({ type: 'start_agent', data: { query: 'long run', step_delay_ms: 2_000 } });
  assert.equal(backend.connectionCount(), 3);
  const started = Date.now();
  const closes = await Promise.all(silent.map((c) => c.closed));
  const elapsed = Date.now() - started;
  for (const { code } of closes) assert.ok([1001, 1006].includes(code), `close code ${code}`);
  assert.ok(elapsed >= HEARTBEAT_MS && elapsed < HEARTBEAT_MS * 10, `cut off after ${elapsed} ms`);
  await delay(20);
  assert.equal(backend.connectionCount(), 0);
  const fresh = await Promise.all([1, 2, 3].map(() => connect(t, backend.wsUrl, { token: jwt })));
  assert.equal(fresh.length, 3);
  assert.equal(backend.connectionCount(), 3);
});
