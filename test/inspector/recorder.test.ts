// The recorder on its own: bounded memory under a flood (newest frames kept, counters right, heap flat),
// eviction of old connections, the filters, and exports (JSON Lines valid against its schema, HAR 1.2 as
// Chrome writes WebSocket entries) that never hold a token in any form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import recordSchema from '../../schemas/inspector-record.schema.json';
import { redactHeaders } from '../../server/auth/redact';
import { exportConnections } from '../../server/inspector/export';
import { ConnectionEvents } from '../../server/inspector/events';
import { frameMatches, parseFilter } from '../../server/inspector/filter';
import { DEFAULT_RECORDER_LIMITS } from '../../server/inspector/limits';
import { Recorder } from '../../server/inspector/recorder';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6OTk5OTk5OTk5OX0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1oZXJl';
const SIGNATURE = JWT.split('.')[2]!;
const B64 = Buffer.from(JWT).toString('base64url');

function open(events: ConnectionEvents, id: string, userId = 'alice'): void {
  events.emit('connectionOpened', { id, source: 'backend', userId, target: 'ws://127.0.0.1:1/ws', clientAddress: '127.0.0.1:2',
    requestHeaders: redactHeaders({ authorization: `Bearer ${JWT}`, 'sec-websocket-protocol': `jwt-auth, jwt.${B64}` }), responseHeaders: {}, at: new Date() });
}

function frame(events: ConnectionEvents, connectionId: string, text: string, from: 'client' | 'server' = 'server'): void {
  events.emit('frame', { connectionId, from, at: new Date(), size: Buffer.byteLength(text), opcode: 'text', text, jsonType: JSON.parse(text).type });
}

const heap = (): number => {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
};

test('a connection that sends 100,000 frames keeps the newest within the limit, counts the rest, and the heap stays flat', () => {
  const events = new ConnectionEvents();
  const recorder = new Recorder(events);
  open(events, 'flood');
  const payload = (i: number) => JSON.stringify({ type: 'agent_thinking', data: { i, thought: 'x'.repeat(200) } });
  for (let i = 0; i < 20_000; i++) frame(events, 'flood', payload(i));
  const after20k = heap();
  for (let i = 20_000; i < 100_000; i++) frame(events, 'flood', payload(i));
  const after100k = heap();
  const detail = recorder.detail('flood')!;
  const limit = DEFAULT_RECORDER_LIMITS.framesPerConnection;
  assert.equal(detail.frames.length, limit);
  assert.equal(detail.droppedFrames, 100_000 - limit);
  assert.equal(detail.framesFromServer, 100_000, 'every frame is counted, kept or not');
  assert.equal(JSON.parse(detail.frames.at(-1)!.text!).data.i, 99_999, 'the newest frame is kept');
  assert.equal(JSON.parse(detail.frames[0]!.text!).data.i, 100_000 - limit);
  assert.deepEqual(recorder.totals().droppedFrames, 100_000 - limit);
  // 80,000 more frames went through: what is kept did not grow with them.
  assert.ok(after100k - after20k < 4 * 1024 * 1024, `heap grew ${after100k - after20k} bytes`);
  recorder.dispose();
});

test('byte limits: long texts are cut (full size kept) and the total stays under its bound across connections', () => {
  const events = new ConnectionEvents();
  const limits = { ...DEFAULT_RECORDER_LIMITS, textPerFrame: 1000, bytesPerConnection: 50_000, totalBytes: 120_000, connections: 3 };
  const recorder = new Recorder(events, limits);
  for (const id of ['a', 'b', 'c', 'd']) {
    open(events, id);
    for (let i = 0; i < 100; i++) frame(events, id, JSON.stringify({ type: 'tool_completed', data: { result: 'r'.repeat(5000) } }));
  }
  const totals = recorder.totals();
  assert.equal(totals.connections, 3, 'the oldest connection went');
  assert.equal(totals.droppedConnections, 1);
  assert.ok(totals.bytes <= limits.totalBytes, `${totals.bytes} bytes kept`);
  const d = recorder.detail('d')!;
  assert.ok(d.frames.every((f) => f.truncated && f.text!.length === 1000 && f.size > 5000));
  assert.equal(recorder.detail('a'), undefined);
});

test('filters: by type, sender, text and opcode; ping/pong hidden on request; unknown values are refused', () => {
  const f = parseFilter(['type:agent_started from:server', 'hello'], true);
  assert.deepEqual(f, { hidePingPong: true, type: 'agent_started', from: 'server', text: 'hello' });
  const base = { seq: 1, connectionId: 'c', at: new Date().toISOString(), size: 5 };
  assert.ok(frameMatches({ ...base, from: 'server', opcode: 'text', jsonType: 'agent_started', text: 'say HELLO' }, f));
  assert.ok(!frameMatches({ ...base, from: 'client', opcode: 'text', jsonType: 'agent_started', text: 'hello' }, f));
  assert.ok(!frameMatches({ ...base, from: 'server', opcode: 'pong' }, parseFilter([], true)));
  assert.throws(() => parseFilter(['from:nobody']), /from: must be client or server/);
});

test('exports: JSON Lines valid against its schema, HAR 1.2 with Chrome\'s WebSocket fields, and no token in any form', () => {
  const events = new ConnectionEvents();
  const recorder = new Recorder(events);
  open(events, 'c1');
  frame(events, 'c1', JSON.stringify({ type: 'start_agent', data: { query: 'hi' } }), 'client');
  frame(events, 'c1', JSON.stringify({ type: 'agent_started', data: { note: `leaked ${JWT}` } }));
  events.emit('frame', { connectionId: 'c1', from: 'client', at: new Date(), size: 3, opcode: 'binary', binary: Buffer.from([1, 2, 3]) });
  events.emit('frame', { connectionId: 'c1', from: 'server', at: new Date(), size: 0, opcode: 'ping', text: '' });
  events.emit('connectionClosed', { id: 'c1', code: 1006, reason: '', closedBy: 'server', at: new Date() });
  const details = recorder.details();

  const jsonl = exportConnections('jsonl', details, '0.1.0');
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(recordSchema);
  const lines = jsonl.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.map((l) => l.record), ['connection', 'frame', 'frame', 'frame', 'frame']);
  for (const line of lines) assert.ok(validate(line), ajv.errorsText(validate.errors));

  const har = JSON.parse(exportConnections('har', details, '0.1.0')) as { log: { version: string; entries: Array<Record<string, any>> } };
  assert.equal(har.log.version, '1.2');
  const entry = har.log.entries[0]!;
  assert.equal(entry._resourceType, 'websocket');
  assert.equal(entry.response.status, 101);
  assert.deepEqual(entry._webSocketMessages.map((m: { type: string; opcode: number }) => [m.type, m.opcode]), [['send', 1], ['receive', 1], ['send', 2]]);
  assert.equal(entry._webSocketMessages[2].data, Buffer.from([1, 2, 3]).toString('base64'));
  assert.equal(typeof entry._webSocketMessages[0].time, 'number');
  assert.deepEqual(entry._webSocketClose, { code: 1006, reason: '', meaning: 'abnormal closure: no close frame, the TCP connection dropped (the server side dropped it)', closedBy: 'server' });

  for (const text of [jsonl, JSON.stringify(har)]) {
    for (const secret of [JWT, B64, SIGNATURE]) assert.ok(!text.includes(secret), 'no token, no base64url token, no signature');
  }
  recorder.dispose();
});
