// The profile limits on real sockets: 3 connections per user, 8 KiB per message, messages per minute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROFILE_LIMITS } from '../../server/backend/limits';
import { connect, delay, refusal, startTestBackend, token } from './support';

test('the profiles table: 300/100/30 messages per minute, heartbeat 45/30/25 s, 3 connections, 8 KiB', () => {
  assert.deepEqual(Object.fromEntries(Object.entries(PROFILE_LIMITS).map(([p, l]) => [p, [l.messages_per_minute, l.heartbeat_interval_ms, l.max_connections_per_user, l.max_message_bytes]])), {
    development: [300, 45_000, 3, 8192], staging: [100, 30_000, 3, 8192], production: [30, 25_000, 3, 8192],
  });
});

test('a 4th connection of one user is refused with HTTP 429; another user is not affected; a freed slot is reusable', async (t) => {
  const backend = await startTestBackend(t);
  const jwt = await token('dave');
  const three = await Promise.all([1, 2, 3].map(() => connect(t, backend.wsUrl, { token: jwt })));
  const fourth = await refusal(backend.wsUrl, { headers: { Authorization: `Bearer ${jwt}` } });
  assert.equal(fourth.status, 429);
  assert.equal(fourth.body.error, 'too_many_connections');
  assert.equal(fourth.body.limit, 3);
  const other = await connect(t, backend.wsUrl, { token: await token('erin') });
  assert.equal(other.events[0]!.user_id, 'erin');
  await three[0]!.close();
  await delay(50);
  const again = await connect(t, backend.wsUrl, { token: jwt });
  assert.equal(again.events[0]!.user_id, 'dave');
  assert.equal(backend.connectionCount(), 4);
});

test('racing upgrades of one user cannot exceed 3 connections', async (t) => {
  const backend = await startTestBackend(t);
  const jwt = await token('racer');
  const attempts = await Promise.allSettled([1, 2, 3, 4, 5, 6].map(() => connect(t, backend.wsUrl, { token: jwt })));
  assert.equal(attempts.filter((a) => a.status === 'fulfilled').length, 3);
  assert.equal(backend.connectionCount(), 3);
});

test('a message of exactly 8 KiB is handled; 8 KiB + 1 byte closes the connection with 1009', async (t) => {
  const backend = await startTestBackend(t);
  const client = await connect(t, backend.wsUrl, { token: await token('frank') });
  const padded = (size: number) => {
    const frame = JSON.stringify({ type: 'ping', data: { pad: '' } });
    return JSON.stringify({ type: 'ping', data: { pad: 'x'.repeat(size - frame.length) } });
  };
  assert.equal(Buffer.byteLength(padded(8192)), 8192);
  client.send(padded(8192));
  const pong = await client.waitFor((e) => e.type === 'pong');
  assert.equal((pong.data.echo as { pad: string }).pad.length, JSON.parse(padded(8192)).data.pad.length);
  client.send(padded(8193));
  const { code } = await client.closed;
  assert.equal(code, 1009);
});

test('production allows 30 messages per user per minute: the 31st is dropped with rate_limit_exceeded', async (t) => {
  const backend = await startTestBackend(t, { profile: 'production' });
  const jwt = await token('gina');
  // Two connections of one user share the user's quota.
  const [a, b] = await Promise.all([connect(t, backend.wsUrl, { token: jwt }), connect(t, backend.wsUrl, { token: jwt })]);
  for (let i = 0; i < 15; i++) a!.send({ type: 'ping', data: { n: i } });
  for (let i = 15; i < 30; i++) b!.send({ type: 'ping', data: { n: i } });
  await a!.waitFor(() => a!.events.filter((e) => e.type === 'pong').length === 15);
  await b!.waitFor(() => b!.events.filter((e) => e.type === 'pong').length === 15);
  a!.send({ type: 'ping', data: { n: 30 } });
  const breach = await a!.waitFor((e) => e.type === 'rate_limit_exceeded');
  assert.equal(breach.data.code, 'rate_limit_exceeded');
  assert.equal(breach.data.limit, 30);
  assert.equal(breach.data.retryable, true);
  assert.ok((breach.data.retry_after_ms as number) > 0 && (breach.data.retry_after_ms as number) <= 60_000);
  a!.send({ type: 'start_agent', data: { query: 'dropped too', step_delay_ms: 0 } });
  await a!.waitFor(() => a!.events.filter((e) => e.type === 'rate_limit_exceeded').length === 2);
  await delay(150);
  assert.equal(a!.events.filter((e) => e.type === 'pong' && (e.data.echo as { n: number }).n === 30).length, 0, 'the dropped ping got no pong');
  assert.equal(a!.events.some((e) => e.type === 'agent_started'), false, 'the dropped run never started');
  assert.deepEqual([...a!.schemaErrors, ...b!.schemaErrors], []);
  // Another user still has their own quota.
  const other = await connect(t, backend.wsUrl, { token: await token('hank') });
  other.send({ type: 'ping' });
  await other.waitFor((e) => e.type === 'pong');
});

test('each profile announces its own rate limit (staging 100, development 300)', async (t) => {
  for (const [profile, limit] of [['staging', 100], ['development', 300]] as const) {
    const backend = await startTestBackend(t, { profile });
    const client = await connect(t, backend.wsUrl, { token: await token(`p-${profile}`) });
    assert.equal((client.events[0]!.data.limits as { messages_per_minute: number }).messages_per_minute, limit);
    for (let i = 0; i <= limit; i++) client.send({ type: 'ping' });
    await client.waitFor((e) => e.type === 'rate_limit_exceeded');
    assert.equal(client.events.filter((e) => e.type === 'pong').length, limit);
  }
});
