// checkSequence: the expected events (types, optionally with field assertions) must appear in order as a
// subsequence of what was received; parseExpectText reads `--expect` in both of its forms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExpectText } from '../../server/wsclient/expect-text';
import { checkSequence, readPath, RUN_ID_VARIABLE, SequenceMatcher, type EventLike } from '../../server/wsclient/sequence';

const FIVE = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'];
const events = (...types: string[]): EventLike[] => types.map((type) => ({ type }));

test('the five events with others interleaved pass', () => {
  const received = events('connection_established', 'agent_started', 'agent_thinking', 'pong', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed');
  assert.deepEqual(checkSequence(received, FIVE), { ok: true });
});

test('an empty expectation always passes', () => {
  assert.deepEqual(checkSequence([], []), { ok: true });
});

test('a missing event is named, with everything still missing after it', () => {
  assert.deepEqual(checkSequence(events('agent_started', 'agent_completed'), ['agent_started', 'tool_error', 'agent_completed']),
    { ok: false, reason: 'event tool_error missing', missing: ['tool_error', 'agent_completed'] });
});

test('an event that came before the one it should follow is out of order', () => {
  assert.deepEqual(checkSequence(events(...FIVE), ['agent_completed', 'agent_started']),
    { ok: false, reason: 'agent_started arrived before agent_completed (out of order)', missing: ['agent_started'] });
});

test('the first expected event missing entirely is missing, not out of order', () => {
  assert.deepEqual(checkSequence(events('pong'), ['agent_started']), { ok: false, reason: 'event agent_started missing', missing: ['agent_started'] });
});

test('a repeated expectation needs two occurrences', () => {
  assert.equal(checkSequence(events('agent_thinking', 'agent_completed'), ['agent_thinking', 'agent_thinking']).ok, false);
  assert.equal(checkSequence(events('agent_thinking', 'x', 'agent_thinking'), ['agent_thinking', 'agent_thinking']).ok, true);
});

const completed = { type: 'tool_completed', run_id: 'run_1', tool_name: 'search', data: { status: 'success', result: { items: [{ title: 'Order 42' }] } } };

test('field assertions: equality, a JSON path with an index, a pattern, presence', () => {
  assert.deepEqual(checkSequence([completed], [{ type: 'tool_completed', fields: {
    'data.status': 'success', '$.data.result.items[0].title': { pattern: '^Order \\d+$' }, tool_name: { exists: true }, 'data.result': { equals: { items: [{ title: 'Order 42' }] } },
  } }]), { ok: true });
  assert.equal(readPath(completed, '$.data.result.items[0].title'), 'Order 42');
  assert.equal(readPath(completed, 'data.nothing.deeper'), undefined);
});

test('an event of the right type whose field does not hold is skipped, and the failure names the field', () => {
  const failed = { ...completed, data: { status: 'error' } };
  assert.deepEqual(checkSequence([failed], [{ type: 'tool_completed', fields: { 'data.status': 'success' } }]), {
    ok: false, reason: 'tool_completed arrived but data.status is "error", expected="success"', missing: ['tool_completed{data.status="success"}'] });
  // A later event that holds passes: the mismatching one is just an unrelated message.
  assert.equal(checkSequence([failed, completed], [{ type: 'tool_completed', fields: { 'data.status': 'success' } }]).ok, true);
});

test('${run_id} holds only for the run the exchange follows', () => {
  const expectation = [{ type: 'tool_completed', fields: { run_id: RUN_ID_VARIABLE } }];
  assert.equal(checkSequence([completed], expectation, { run_id: 'run_1' }).ok, true);
  assert.equal(checkSequence([completed], expectation, { run_id: 'run_2' }).ok, false);
  // Before the run is known, any run id holds; other variables are bound by the caller.
  assert.equal(checkSequence([completed], expectation).ok, true);
  assert.equal(checkSequence([completed], [{ type: 'tool_completed', fields: { tool_name: '${tool}' } }], { tool: 'search' }).ok, true);
  assert.equal(checkSequence([completed], [{ type: 'tool_completed', fields: { tool_name: '${tool}' } }], { tool: 'other' }).ok, false);
});

test('followed event by event, the matcher agrees with the whole-list check', () => {
  const received = events('connection_established', 'agent_started', 'agent_thinking', 'pong', 'tool_executing', 'tool_completed', 'agent_completed');
  const matcher = new SequenceMatcher(FIVE);
  assert.deepEqual(received.map((e) => matcher.feed(e, {})), [false, false, false, false, false, false, true]);
  const stuck = new SequenceMatcher(['agent_completed', 'agent_started']);
  assert.equal(received.some((e) => stuck.feed(e, {})), false);
});

test('--expect: the comma form and the JSON form give one format; mistakes are explained', () => {
  assert.deepEqual(parseExpectText('agent_started, agent_completed'), ['agent_started', 'agent_completed']);
  assert.deepEqual(parseExpectText('[{"type":"tool_completed","fields":{"tool_name":"search"}}]'), [{ type: 'tool_completed', fields: { tool_name: 'search' } }]);
  assert.throws(() => parseExpectText('a,,b'), /empty event name/);
  assert.throws(() => parseExpectText('[{"fields":{}}]'), /expectation\.schema\.json at \/0/);
  assert.throws(() => parseExpectText('[{"type":"x","fields":{"a":{"pattern":"("}}}]'), /expectation\.schema\.json/);
});
