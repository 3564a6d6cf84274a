// Agent runs on a real connection: the five events in order with their data, every error event on demand,
// stop_agent, and a server that keeps serving after an internal failure. Every event is schema-checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerEvent } from '../../$shared/wire';
import { connect, startTestBackend, token, type Client } from './support';

/** Sends a run request and resolves with the run's events once one of the `final` types arrives. */
async function run(client: Client, message: Record<string, unknown>, final: string[]): Promise<ServerEvent[]> {
  const before = client.events.length;
  client.send(message);
  const last = await client.waitFor((e) => client.events.indexOf(e) >= before && final.includes(e.type));
  return client.events.slice(before).filter((e) => e.run_id === last.run_id);
}

test('start_agent emits agent_started, agent_thinking, tool_executing, tool_completed, agent_completed in order', async (t) => {
  const backend = await startTestBackend(t);
  const client = await connect(t, backend.wsUrl, { token: await token('ivy') });
  const events = await run(client, { type: 'start_agent', thread_id: 'thread-1', data: { query: 'what is up', agent_name: 'triage', step_delay_ms: 5 } }, ['agent_completed']);
  assert.deepEqual(events.map((e) => e.type), ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed']);
  for (const e of events) {
    assert.equal(e.user_id, 'ivy');
    assert.equal(e.thread_id, 'thread-1');
    assert.equal(e.agent_name, 'triage');
    assert.match(e.run_id ?? '', /^run_/);
    assert.ok(!Number.isNaN(Date.parse(e.timestamp)) && e.timestamp.endsWith('Z'));
  }
  const completed = events.find((e) => e.type === 'tool_completed')!;
  assert.equal(completed.tool_name, 'knowledge_search');
  assert.equal((completed.data.result as { tool: string }).tool, 'knowledge_search');
  assert.equal(events.at(-1)!.data.status, 'completed');
  assert.deepEqual(client.schemaErrors, []);
});

test('user_message with several tools: one executing/completed pair per tool, thinking between, client run_id kept', async (t) => {
  const backend = await startTestBackend(t);
  const client = await connect(t, backend.wsUrl, { token: await token('jack') });
  const events = await run(client, { type: 'user_message', run_id: 'my-run', data: { content: 'hello', tools: ['search', 'summarize'], step_delay_ms: 0 } }, ['agent_completed']);
  assert.deepEqual(events.map((e) => `${e.type}${e.tool_name ? `:${e.tool_name}` : ''}`), [
    'agent_started', 'agent_thinking', 'tool_executing:search', 'tool_completed:search',
    'agent_thinking', 'tool_executing:summarize', 'tool_completed:summarize', 'agent_completed',
  ]);
  assert.ok(events.every((e) => e.run_id === 'my-run'));
  assert.deepEqual(client.schemaErrors, []);
});

test('each error event can be produced on purpose, with code, message and retryable', async (t) => {
  const backend = await startTestBackend(t);
  const client = await connect(t, backend.wsUrl, { token: await token('kate') });
  const cases: Array<[Record<string, unknown>, string[]]> = [
    [{ fail: 'tool' }, ['agent_started', 'agent_thinking', 'tool_executing', 'tool_error']],
    [{ fail: 'agent' }, ['agent_started', 'agent_thinking', 'agent_error']],
    [{ fail: 'timeout', timeout_ms: 150 }, ['agent_started', 'agent_thinking', 'tool_executing', 'timeout_error']],
    [{ step_delay_ms: 100, timeout_ms: 150 }, ['agent_started', 'timeout_error']],
    [{ fail: 'system' }, ['agent_started', 'agent_thinking', 'tool_executing', 'system_error']],
  ];
  for (const [data, expected] of cases) {
    const events = await run(client, { type: 'start_agent', data: { query: 'fail please', step_delay_ms: 5, ...data } }, [expected.at(-1)!]);
    assert.deepEqual(events.map((e) => e.type), expected, JSON.stringify(data));
    const error = events.at(-1)!;
    assert.equal(typeof error.data.code, 'string');
    assert.equal(typeof error.data.message, 'string');
    assert.equal(typeof error.data.retryable, 'boolean');
  }
  // After an internal failure the connection and the server still serve.
  const after = await run(client, { type: 'start_agent', data: { query: 'still there?', step_delay_ms: 0 } }, ['agent_completed']);
  assert.equal(after.at(-1)!.data.status, 'completed');
  assert.deepEqual(client.schemaErrors, []);
});

test('stop_agent stops a running run; stopping an unknown run is a validation_error', async (t) => {
  const backend = await startTestBackend(t);
  const client = await connect(t, backend.wsUrl, { token: await token('leo') });
  client.send({ type: 'start_agent', run_id: 'slow', data: { query: 'take your time', step_delay_ms: 300 } });
  await client.waitFor((e) => e.type === 'agent_started' && e.run_id === 'slow');
  client.send({ type: 'stop_agent', run_id: 'slow' });
  const end = await client.waitFor((e) => e.type === 'agent_completed' && e.run_id === 'slow');
  assert.equal(end.data.status, 'stopped');
  assert.equal(client.events.some((e) => e.run_id === 'slow' && e.type === 'tool_completed'), false);
  client.send({ type: 'stop_agent', data: { run_id: 'never-started' } });
  const error = await client.waitFor((e) => e.type === 'validation_error');
  assert.equal(error.data.code, 'unknown_run');
  assert.deepEqual(client.schemaErrors, []);
});

test('a run_id another user is running cannot be stopped by this user', async (t) => {
  const backend = await startTestBackend(t);
  const owner = await connect(t, backend.wsUrl, { token: await token('owner') });
  const other = await connect(t, backend.wsUrl, { token: await token('intruder') });
  owner.send({ type: 'start_agent', run_id: 'shared-name', data: { query: 'mine', step_delay_ms: 40 } });
  await owner.waitFor((e) => e.type === 'agent_started');
  other.send({ type: 'stop_agent', run_id: 'shared-name' });
  assert.equal((await other.waitFor((e) => e.type === 'validation_error')).data.code, 'unknown_run');
  const end = await owner.waitFor((e) => e.type === 'agent_completed');
  assert.equal(end.data.status, 'completed');
});
