// Both envelopes read into one shape: the flat one as sent, the older {type, payload, timestamp: epoch s}
// with its payload as data, routing fields lifted and the timestamp turned into ISO-8601 UTC.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseEvent, UNPARSED_FRAME } from '../../server/wsclient/envelope';

const AT = new Date('2026-01-02T03:04:05.678Z');

test('the flat envelope keeps its fields', () => {
  const flat = { type: 'tool_completed', run_id: 'r1', thread_id: 't1', user_id: 'u1', agent_name: 'triage', tool_name: 'search',
    timestamp: '2026-01-01T00:00:00.000Z', data: { result: { hits: 3 } } };
  assert.deepEqual(normaliseEvent(JSON.stringify(flat), AT), { ...flat, envelope: 'flat' });
});

test('the legacy envelope becomes the same shape', () => {
  const legacy = { type: 'agent_started', payload: { run_id: 'r2', agent_name: 'triage', note: 'go' }, timestamp: 1767225600.5 };
  assert.deepEqual(normaliseEvent(JSON.stringify(legacy), AT), {
    type: 'agent_started', run_id: 'r2', agent_name: 'triage', timestamp: '2026-01-01T00:00:00.500Z',
    data: { run_id: 'r2', agent_name: 'triage', note: 'go' }, envelope: 'legacy',
  });
});

test('null routing fields (outside a run) are left out and a missing timestamp is the receive time', () => {
  const event = normaliseEvent(JSON.stringify({ type: 'pong', run_id: null, data: {} }), AT);
  assert.deepEqual(event, { type: 'pong', timestamp: AT.toISOString(), data: {}, envelope: 'flat' });
});

test('frames that are not JSON events are kept as unparsed frames with the reason', () => {
  const notJson = normaliseEvent('hello', AT);
  assert.equal(notJson.type, UNPARSED_FRAME);
  assert.match(String(notJson.data.error), /^not JSON/);
  assert.equal(notJson.data.text, 'hello');
  const noType = normaliseEvent('[1,2]', AT);
  assert.equal(noType.type, UNPARSED_FRAME);
  assert.match(String(noType.data.error), /string "type"/);
});
