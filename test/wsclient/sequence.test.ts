// checkSequence: the expected events must appear in order as a subsequence of what was received.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSequence } from '../../server/wsclient/sequence';

const FIVE = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'];

test('the five events with others interleaved pass', () => {
  const received = ['connection_established', 'agent_started', 'agent_thinking', 'pong', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'];
  assert.deepEqual(checkSequence(received, FIVE), { ok: true });
});

test('an empty expectation always passes', () => {
  assert.deepEqual(checkSequence([], []), { ok: true });
});

test('a missing event is named, with everything still missing after it', () => {
  assert.deepEqual(checkSequence(['agent_started', 'agent_completed'], ['agent_started', 'tool_error', 'agent_completed']),
    { ok: false, reason: 'event tool_error missing', missing: ['tool_error', 'agent_completed'] });
});

test('an event that came before the one it should follow is out of order', () => {
  assert.deepEqual(checkSequence(FIVE, ['agent_completed', 'agent_started']),
    { ok: false, reason: 'agent_started arrived before agent_completed (out of order)', missing: ['agent_started'] });
});

test('the first expected event missing entirely is missing, not out of order', () => {
  assert.deepEqual(checkSequence(['pong'], ['agent_started']), { ok: false, reason: 'event agent_started missing', missing: ['agent_started'] });
});

test('a repeated expectation needs two occurrences', () => {
  assert.equal(checkSequence(['agent_thinking', 'agent_completed'], ['agent_thinking', 'agent_thinking']).ok, false);
  assert.equal(checkSequence(['agent_thinking', 'x', 'agent_thinking'], ['agent_thinking', 'agent_thinking']).ok, true);
});
