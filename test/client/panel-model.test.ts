// The panel's models without a browser: timeline rows and their filter and timings, the expected-sequence
// check (the verdicts of `handshake send --expect`, per step with its time), the two-user isolation check and
// the CLI line for the same exchange.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_EVENTS, type ReceivedEvent } from '../../$shared/wire';
import { checkExpectation, checkIsolation, cliCommand, parseExpect } from '../../client/panel/model/checks';
import type { Expectation } from '../../server/wsclient/sequence';
import { appendRow, MAX_ROWS, rowOfEvent, rowOfFrame, rowOfSent, rowVisible, timing, type TimelineRow } from '../../client/panel/model/timeline';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
let seq = 0;
function ev(type: string, afterMs: number, over: Partial<ReceivedEvent> = {}): TimelineRow {
  return rowOfEvent(++seq, new Date(T0 + afterMs).toISOString(), { type, timestamp: '', data: { n: afterMs }, envelope: 'flat', ...over });
}

test('rows: summary, filter by text, ping/pong hidden, timings after the send', () => {
  const thinking = ev('agent_thinking', 1234, { agent_name: 'supervisor', run_id: 'r1', user_id: 'alice' });
  assert.equal(thinking.summary, 'supervisor {"n":1234}');
  assert.equal(thinking.runId, 'r1');
  const pong = ev('pong', 5);
  assert.equal(rowVisible(pong, { text: '', hidePingPong: true }), false);
  assert.equal(rowVisible(pong, { text: '', hidePingPong: false }), true);
  assert.equal(rowVisible(thinking, { text: 'SUPERVISOR', hidePingPong: true }), true, 'the filter ignores case and reads the summary');
  assert.equal(rowVisible(thinking, { text: 'tool_', hidePingPong: true }), false);
  assert.equal(timing(thinking, T0), '+1.234 s');
  assert.equal(timing(ev('x', 42), T0), '+42 ms');
  assert.equal(timing(thinking, undefined), '00:00:01.234', 'no send yet: the clock time');
  const sent = rowOfSent(1, T0, { type: 'start_agent', data: {} });
  assert.equal(sent.from, 'client');
  assert.equal(sent.type, 'start_agent');
  assert.equal(rowOfSent(2, T0, 'not json').type, '(text)');
});

test('inspector frames become rows: JSON parsed when it is JSON, sizes and cuts shown', () => {
  const row = rowOfFrame({ seq: 9, connectionId: 'c', from: 'client', at: new Date(T0).toISOString(), size: 40, opcode: 'text', jsonType: 'ping', text: '{"type":"ping"}' });
  assert.deepEqual(row.value, { type: 'ping' });
  assert.equal(row.type, 'ping');
  const cut = rowOfFrame({ seq: 10, connectionId: 'c', from: 'server', at: new Date(T0).toISOString(), size: 9000, opcode: 'text', text: '{"a":', truncated: true });
  assert.equal(cut.value, '{"a":');
  assert.match(cut.summary, /^9000 B \(cut\)/);
});

test('the timeline keeps the newest rows past its cap', () => {
  const rows: TimelineRow[] = [];
  for (let i = 0; i < MAX_ROWS + 5; i++) appendRow(rows, ev('agent_thinking', i));
  assert.equal(rows.length, MAX_ROWS);
  assert.equal(rows[0]?.at, T0 + 5);
});

test('the expected sequence: ✓ with timings in order, waiting while the run goes on, ✗ once it is over', () => {
  const expected = [...AGENT_EVENTS];
  const partial = [ev('connection_established', -50), ev('agent_started', 30), ev('agent_thinking', 61), ev('agent_thinking', 90)];
  const waiting = checkExpectation(expected, partial, T0);
  assert.equal(waiting.verdict, 'waiting');
  assert.deepEqual(waiting.steps.map((s) => [s.status, s.afterMs]), [['passed', 30], ['passed', 61], ['waiting', undefined], ['waiting', undefined], ['waiting', undefined]]);
  const done = checkExpectation(expected, [...partial, ev('tool_executing', 120), ev('tool_completed', 150), ev('agent_completed', 181)], T0);
  assert.equal(done.verdict, 'passed');
  assert.equal(done.steps.at(-1)?.afterMs, 181);
  const failed = checkExpectation(expected, [...partial, ev('tool_executing', 120), ev('tool_error', 150, { data: { message: 'boom' } })], T0);
  assert.equal(failed.verdict, 'failed');
  assert.deepEqual(failed.steps.map((s) => s.status), ['passed', 'passed', 'passed', 'failed', 'failed']);
  assert.equal(failed.reason, 'event tool_completed missing', 'the reason is handshake send --expect\'s');
  const closed = checkExpectation(['pong'], [], T0, true);
  assert.equal(closed.verdict, 'failed', 'a closed connection will bring nothing more');
});

test('expectations read and write as --expect does; the CLI line quotes what the shell would break', () => {
  assert.deepEqual(parseExpect(' agent_started, agent_completed '), { expected: ['agent_started', 'agent_completed'] });
  assert.match(parseExpect('agent_started,,agent_completed').error ?? '', /empty event name/);
  const fields = '[{"type":"tool_completed","fields":{"tool_name":"knowledge_search"}}]';
  assert.deepEqual(parseExpect(fields).expected, [{ type: 'tool_completed', fields: { tool_name: 'knowledge_search' } }]);
  assert.match(parseExpect('[{"fields":{}}]').error ?? '', /JSON array of event types/);
  assert.equal(cliCommand('ws://127.0.0.1:8787/ws', "o'neil", 'subprotocol', { type: 'ping' }, ['pong']),
    `npx handshake send --url 'ws://127.0.0.1:8787/ws' --user 'o'\\''neil' --auth subprotocol --message '{"type":"ping"}' --expect 'pong'`);
  assert.match(cliCommand('ws://x/ws', 'a', 'header', {}, parseExpect(fields).expected), / --expect '\[\{"type":"tool_completed","fields":\{"tool_name":"knowledge_search"\}\}\]'$/);
});

test('field expectations: ✓ only when the field holds, ${run_id} bound to the run that answered', () => {
  const run = (tool: string) => [ev('agent_started', 10, { run_id: 'r9' }), ev('tool_completed', 40, { run_id: 'r9', tool_name: tool })];
  const expected: Expectation[] = [{ type: 'agent_started', fields: { run_id: '${run_id}' } }, { type: 'tool_completed', fields: { tool_name: 'knowledge_search' } }];
  assert.equal(checkExpectation(expected, run('knowledge_search'), T0).verdict, 'passed');
  const wrong = checkExpectation(expected, [...run('web_search'), ev('agent_completed', 60, { run_id: 'r9' })], T0);
  assert.equal(wrong.verdict, 'failed');
  assert.deepEqual(wrong.steps.map((s) => [s.type, s.status]), [['agent_started{run_id="${run_id}"}', 'passed'], ['tool_completed{tool_name="knowledge_search"}', 'failed']]);
  assert.match(wrong.reason, /tool_completed arrived but tool_name is "web_search"/);
});

test('isolation: A\'s run reaching B is a failure naming the leaked events; none of it, once the run ended, a pass', () => {
  const a = { user: 'alice', rows: [ev('agent_started', 10, { run_id: 'r1', user_id: 'alice' }), ev('agent_completed', 200, { run_id: 'r1', user_id: 'alice' })] };
  const bClean = { user: 'bob', rows: [ev('connection_established', -500, { user_id: 'bob' }), ev('pong', 50, { user_id: 'bob' })] };
  const passed = checkIsolation(a, bClean, T0);
  assert.equal(passed.status, 'passed');
  assert.match(passed.reason, /alice's run r1 \(2 events\) reached alice only; bob received none of it/);
  const leaked = checkIsolation(a, { user: 'bob', rows: [...bClean.rows, ev('agent_thinking', 40, { run_id: 'r1', user_id: 'alice' })] }, T0);
  assert.equal(leaked.status, 'failed');
  assert.deepEqual(leaked.leaks.map((l) => l.type), ['agent_thinking']);
  assert.equal(checkIsolation({ user: 'alice', rows: a.rows.slice(0, 1) }, bClean, T0).status, 'waiting', 'the run is not over yet');
});
