// The recording proxy against the real local backend and small real ws upstreams: payloads byte-identical on
// both sides, refusals as the upstream sent them, close codes kept, large, binary and fragmented messages,
// and the two ways a side can vanish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startBackend } from '../../server/backend/backend';
import { mintToken } from '../../server/auth/token';
import { ConnectionEvents } from '../../server/inspector/events';
import { refusal } from '../backend/support';
import { client, recordedProxy, until, upstream } from './support';

const SECRET = 'proxy-test-secret-0123456789abcdef';
const FIVE = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'];

test('an agent run through the proxy: path and query kept, every frame recorded both ways, byte-identical to what the backend sent', async (t) => {
  const events = new ConnectionEvents();
  const backend = await startBackend({ host: '127.0.0.1', port: 0, profile: 'development', secret: SECRET, events });
  t.after(() => backend.close());
  const { proxy, recorder } = await recordedProxy(t, `ws://127.0.0.1:${backend.port}`, { events });
  const token = await mintToken({ user: 'alice', secret: SECRET });
  const c = client(`${proxy.url}/ws?trace=1`, { headers: { Authorization: `Bearer ${token}` } });
  await c.opened;
  c.ws.send(JSON.stringify({ type: 'start_agent', data: { query: 'hi', step_delay_ms: 1 } }));
  await until(() => c.received.some((r) => JSON.parse(String(r.data)).type === 'agent_completed'), 'agent_completed');
  c.ws.close(1000, 'bye');
  assert.deepEqual(await c.closed, { code: 1000, reason: 'bye' });
  await until(() => recorder.summaries().every((s) => s.phase === 'closed'), 'both records closed');

  const [viaBackend, viaProxy] = ['backend', 'proxy'].map((source) => recorder.details().find((d) => d.source === source)!);
  assert.equal(viaProxy!.target, `ws://127.0.0.1:${backend.port}/ws?trace=1`, 'the client path and query reach the upstream');
  assert.equal(viaBackend!.target, `ws://127.0.0.1:${backend.port}/ws?trace=1`);
  assert.equal(viaProxy!.userId, 'alice');
  const types = viaProxy!.frames.map((f) => `${f.from}:${f.jsonType}`);
  assert.deepEqual(types, ['server:connection_established', 'client:start_agent', ...FIVE.map((e) => `server:${e}`)]);
  // What the client received, what the proxy recorded and what the backend sent are the same bytes.
  const sent = viaBackend!.frames.filter((f) => f.from === 'server').map((f) => f.text);
  assert.deepEqual(viaProxy!.frames.filter((f) => f.from === 'server').map((f) => f.text), sent);
  assert.deepEqual(c.received.map((r) => r.data.toString()), sent);
  assert.equal(viaProxy!.closeCode, 1000);
  assert.equal(viaProxy!.closedBy, 'client');
  assert.equal(viaProxy!.bytesFromServer, viaBackend!.bytesFromServer);
  assert.match(viaProxy!.requestHeaders.authorization ?? '', /^Bearer .{1,8}$/, 'the token is redacted');
});

test('upstream refusals reach the client as sent (401 with its body, 404 on upgrade, 503) and are recorded', async (t) => {
  const backend = await startBackend({ host: '127.0.0.1', port: 0, profile: 'development', secret: SECRET });
  const closing = backend.close.bind(backend);
  t.after(() => closing());
  const { proxy, recorder } = await recordedProxy(t, `ws://127.0.0.1:${backend.port}`);
  const direct = await refusal(`${backend.wsUrl}`, { headers: { Authorization: 'Bearer not-a-jwt' } });
  const proxied = await refusal(`${proxy.url}/ws`, { headers: { Authorization: 'Bearer not-a-jwt' } });
  assert.equal(proxied.status, 401);
  assert.equal(proxied.text, direct.text, 'the body is the upstream\'s, byte for byte');
  assert.equal(proxied.headers['www-authenticate'], direct.headers['www-authenticate']);
  const missing = await refusal(`${proxy.url}/nope`, { headers: { Authorization: `Bearer ${await mintToken({ user: 'a', secret: SECRET })}` } });
  assert.equal(missing.status, 404);
  assert.match(missing.text, /no WebSocket at \/nope/);
  await backend.close();
  const gone = await refusal(`${proxy.url}/ws`, {});
  assert.equal(gone.status, 502, 'an upstream that is not listening: the proxy answers 502 itself');
  assert.match(gone.text, /could not reach ws:\/\/127\.0\.0\.1:\d+\/ws: ECONNREFUSED/);

  const { server: unavailable503 } = await upstream(t, () => undefined);
  unavailable503.options.verifyClient = (_info, cb) => cb(false, 503, 'Service Unavailable', { 'Retry-After': '7' });
  const p503 = await recordedProxy(t, `ws://127.0.0.1:${(unavailable503.address() as { port: number }).port}`);
  const unavailable = await refusal(`${p503.proxy.url}/ws`, {});
  assert.equal(unavailable.status, 503);
  assert.equal(unavailable.headers['retry-after'], '7');
  const refusals = recorder.summaries().filter((s) => s.phase === 'refused').map((s) => [s.status, s.refusal]);
  assert.deepEqual(refusals.sort(), [[401, 'malformed_token'], [404, 'not_found'], [502, 'bad_gateway']].sort());
  assert.deepEqual(p503.recorder.summaries().map((s) => s.status), [503]);
});

test('upstream closes with 1008 and 1011 reach the client with the same code and reason', async (t) => {
  for (const [code, reason] of [[1008, 'policy: token revoked'], [1011, 'internal error in the agent']] as const) {
    const { url } = await upstream(t, (ws) => ws.close(code, reason));
    const { proxy, recorder } = await recordedProxy(t, url);
    const c = client(`${proxy.url}/ws`);
    assert.deepEqual(await c.closed, { code, reason });
    await until(() => recorder.summaries()[0]?.phase === 'closed', 'the close recorded');
    const s = recorder.summaries()[0]!;
    assert.deepEqual([s.closeCode, s.closeReason, s.closedBy], [code, reason, 'server']);
  }
});

test('large, binary and fragmented messages pass whole; the record keeps sizes, cuts long text, and reads fragments as one message', async (t) => {
  const echoed: Array<{ data: Buffer; isBinary: boolean }> = [];
  const { url } = await upstream(t, (ws) => ws.on('message', (data, isBinary) => {
    echoed.push({ data: data as Buffer, isBinary });
    ws.send(data as Buffer, { binary: isBinary });
  }));
  const { proxy, recorder } = await recordedProxy(t, url);
  const c = client(`${proxy.url}/ws`);
  await c.opened;
  const big = JSON.stringify({ type: 'user_message', data: { content: 'x'.repeat(100_000) } });
  const binary = Buffer.from(Array.from({ length: 20_000 }, (_v, i) => i % 251));
  c.ws.send(big);
  c.ws.send(binary);
  // One message in three frames: text, continuation, continuation (fin).
  c.ws.send('{"type":"ping",', { fin: false });
  c.ws.send('"data":{"n":', { fin: false });
  c.ws.send('1}}', { fin: true });
  await until(() => c.received.length === 3, 'three echoes');
  assert.equal(echoed[0]!.data.toString(), big);
  assert.deepEqual(echoed[1]!.data, binary);
  assert.equal(echoed[2]!.data.toString(), '{"type":"ping","data":{"n":1}}');
  assert.deepEqual(c.received.map((r) => r.data.length), [big.length, binary.length, 30]);
  const frames = recorder.detail(recorder.summaries()[0]!.id)!.frames;
  const fromClient = frames.filter((f) => f.from === 'client');
  assert.deepEqual(fromClient.map((f) => [f.opcode, f.size]), [['text', big.length], ['binary', binary.length], ['text', 30]]);
  assert.equal(fromClient[0]!.truncated, true);
  assert.equal(fromClient[0]!.text!.length, 64 * 1024);
  assert.equal(fromClient[0]!.jsonType, undefined, 'a cut message is not guessed at');
  assert.deepEqual(Buffer.from(fromClient[1]!.base64!, 'base64'), binary);
  assert.equal(fromClient[2]!.jsonType, 'ping');
  c.ws.close();
});

test('a client that vanishes mid-frame: the upstream connection is dropped and the record says the client dropped it (1006)', async (t) => {
  let upstreamClosed: Promise<number> | undefined;
  const { url } = await upstream(t, (ws) => { upstreamClosed = new Promise((resolve) => ws.once('close', (code) => resolve(code))); });
  const { proxy, recorder } = await recordedProxy(t, url);
  const socket = net.connect(Number(new URL(proxy.url).port), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write('GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
  await new Promise((resolve) => socket.once('data', resolve));
  // A masked text frame announcing 100 bytes, of which 10 arrive.
  socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | 100, 1, 2, 3, 4]), Buffer.alloc(10, 0x61)]));
  await new Promise((r) => setTimeout(r, 20));
  socket.destroy();
  await until(() => upstreamClosed !== undefined, 'upstream connection');
  assert.equal(await upstreamClosed, 1006, 'nothing can be said in the middle of a frame: the upstream sees the drop');
  await until(() => recorder.summaries()[0]?.phase === 'closed', 'the close recorded');
  const s = recorder.summaries()[0]!;
  assert.deepEqual([s.closeCode, s.closedBy], [1006, 'client']);
  assert.match(s.closeMeaning ?? '', /TCP connection dropped.*client side/);
});

test('an upstream that vanishes: the client is closed with 1014 saying so', async (t) => {
  const { url } = await upstream(t, (ws) => setTimeout(() => ws.terminate(), 20));
  const { proxy, recorder } = await recordedProxy(t, url);
  const c = client(`${proxy.url}/ws`);
  const closed = await c.closed;
  assert.equal(closed.code, 1014);
  assert.match(closed.reason, /upstream dropped the connection/);
  await until(() => recorder.summaries()[0]?.phase === 'closed', 'the close recorded');
  assert.deepEqual([recorder.summaries()[0]!.closeCode, recorder.summaries()[0]!.closedBy], [1006, 'server']);
});
