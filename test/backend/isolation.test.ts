// Isolation under concurrency: 60 users run agents at the same time on one backend; every client checks
// that it only ever saw its own user_id and its own run_ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, delay, startTestBackend, token } from './support';

const USERS = 60;
const RUNS_PER_USER = 2;

test(`${USERS} users running agents concurrently only ever see their own events`, async (t) => {
  const backend = await startTestBackend(t);
  const clients = await Promise.all(Array.from({ length: USERS }, async (_, i) => connect(t, backend.wsUrl, { token: await token(`user-${i}`) })));
  clients.forEach((client, i) => {
    for (let r = 0; r < RUNS_PER_USER; r++) {
      client.send({ type: r % 2 ? 'user_message' : 'start_agent', run_id: `u${i}-r${r}`, data: { query: `q${i}.${r}`, tools: ['a', 'b'], step_delay_ms: 5 + (i % 7) } });
    }
  });
  await Promise.all(clients.map((client) =>
    client.waitFor(() => client.events.filter((e) => e.type === 'agent_completed').length === RUNS_PER_USER, 20_000)));
  clients.forEach((client, i) => {
    const foreign = client.events.filter((e) => e.user_id !== `user-${i}` || (e.run_id !== null && !e.run_id.startsWith(`u${i}-`)));
    assert.deepEqual(foreign, [], `user-${i} saw another user's events`);
    for (let r = 0; r < RUNS_PER_USER; r++) {
      assert.deepEqual(client.events.filter((e) => e.run_id === `u${i}-r${r}`).map((e) => e.type), [
        'agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed',
      ]);
    }
    assert.deepEqual(client.schemaErrors, []);
  });
});

test("a run's events reach every connection of its user, and no one else's", async (t) => {
  const backend = await startTestBackend(t);
  const jwt = await token('multi-tab');
  const [tab1, tab2] = await Promise.all([connect(t, backend.wsUrl, { token: jwt }), connect(t, backend.wsUrl, { token: jwt })]);
  const stranger = await connect(t, backend.wsUrl, { token: await token('stranger') });
  tab1!.send({ type: 'start_agent', data: { query: 'from tab 1', step_delay_ms: 0 } });
  await tab2!.waitFor((e) => e.type === 'agent_completed');
  await tab1!.waitFor((e) => e.type === 'agent_completed');
  await delay(50);
  assert.deepEqual(stranger.types(), ['connection_established']);
});
