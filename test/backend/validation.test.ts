// Bad frames on a real connection: each gets a validation_error saying why, and the connection survives
// (a ping afterwards still gets its pong).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, startTestBackend, token } from './support';

test('non-JSON, binary, invalid UTF-8 and schema-invalid frames get validation_error; the connection stays open', async (t) => {
  const backend = await startTestBackend(t);
  const client = await connect(t, backend.wsUrl, { token: await token('mia') });
  const frames: Array<[string, () => void, string, RegExp?]> = [
    ['not JSON', () => client.send('hello there'), 'invalid_json'],
    ['truncated JSON', () => client.send('{"type":"ping"'), 'invalid_json'],
    ['binary frame', () => client.ws.send(Buffer.from(JSON.stringify({ type: 'ping' })), { binary: true }), 'binary_frame'],
    ['invalid UTF-8', () => client.ws.send(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), { binary: false }), 'invalid_utf8'],
    ['a JSON array', () => client.send('[1,2,3]'), 'schema_invalid'],
    ['no type', () => client.send({ data: {} }), 'schema_invalid', /type/],
    ['unknown type', () => client.send({ type: 'launch_rockets', data: {} }), 'schema_invalid', /allowed values/],
    ['start_agent without data', () => client.send({ type: 'start_agent' }), 'schema_invalid', /data/],
    ['start_agent without query or content', () => client.send({ type: 'start_agent', data: { agent_name: 'x' } }), 'schema_invalid'],
    ['unknown failure mode', () => client.send({ type: 'start_agent', data: { query: 'q', fail: 'everything' } }), 'schema_invalid', /fail/],
    ['negative delay', () => client.send({ type: 'start_agent', data: { query: 'q', step_delay_ms: -1 } }), 'schema_invalid', /step_delay_ms/],
    ['unknown top-level field', () => client.send({ type: 'ping', surprise: true }), 'schema_invalid', /surprise/],
  ];
  for (const [what, sendIt, code, detail] of frames) {
    const before = client.events.length;
    sendIt();
    const error = await client.waitFor((e) => client.events.indexOf(e) >= before && e.type === 'validation_error');
    assert.equal(error.data.code, code, what);
    assert.equal(error.data.retryable, false, what);
    if (detail) assert.match(String(error.data.message), detail, what);
    client.send({ type: 'ping', data: { after: what } });
    const pong = await client.waitFor((e) => e.type === 'pong' && (e.data.echo as { after?: string }).after === what);
    assert.equal(pong.user_id, 'mia');
  }
  assert.equal(client.events.some((e) => e.type === 'agent_started'), false, 'no invalid message started a run');
  assert.deepEqual(client.schemaErrors, []);
  assert.equal(client.ws.readyState, client.ws.OPEN);
});
