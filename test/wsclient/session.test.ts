// openSession against real servers on loopback: both ways of sending the token, both envelopes through a
// live socket, the close code with its meaning, and each failure as a value with its explanation.
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { WebSocketServer } from 'ws';
import { explainFailure, failureFromError, type SessionFailure } from '../../server/wsclient/failure';
import { openSession, type OpenOptions } from '../../server/wsclient/session';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl';

async function listen(t: TestContext, server: http.Server | net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** A ws server that records the upgrade request and runs `onConnection` for each client. */
async function wsServer(t: TestContext, onConnection: (ws: import('ws').WebSocket) => void) {
  const requests: http.IncomingMessage[] = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (offered) => (offered.has('jwt-auth') ? 'jwt-auth' : false) });
  wss.on('connection', (ws, req) => { requests.push(req); onConnection(ws); });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  t.after(() => new Promise<void>((resolve) => { for (const c of wss.clients) c.terminate(); wss.close(() => resolve()); }));
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`, requests };
}

/** An HTTP server that answers every upgrade with a plain HTTP response (how backends refuse a handshake). */
async function refusingServer(t: TestContext, status: number, statusText: string, body: string): Promise<string> {
  const server = http.createServer();
  server.on('upgrade', (_req, socket) => {
    socket.end(`HTTP/1.1 ${status} ${statusText}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  return `ws://127.0.0.1:${await listen(t, server)}/ws`;
}

async function openFailure(opts: OpenOptions): Promise<SessionFailure> {
  const result = await openSession(opts);
  assert.equal(result.ok, false, 'expected the open to fail');
  return (result as { failure: SessionFailure }).failure;
}

test('header auth sends the Bearer token, and both envelopes arrive as one event shape', async (t) => {
  const server = await wsServer(t, (ws) => {
    ws.send(JSON.stringify({ type: 'connection_established', run_id: null, user_id: 'u1', timestamp: '2026-01-01T00:00:00Z', data: { connection_id: 'c1' } }));
    ws.send(JSON.stringify({ type: 'agent_started', payload: { run_id: 'r1', agent_name: 'triage' }, timestamp: 1767225600 }));
    ws.on('message', (data) => { ws.send(JSON.stringify({ type: 'pong', data: { echo: JSON.parse(data.toString()) } })); ws.close(4001, 'bye'); });
  });
  const result = await openSession({ url: server.url, token: TOKEN, auth: 'header', timeoutMs: 5000 });
  assert.ok(result.ok);
  const { session } = result;
  assert.equal(server.requests[0]?.headers.authorization, `Bearer ${TOKEN}`);
  session.send({ type: 'ping' });
  const events = [];
  for await (const event of session.events) events.push(event);
  assert.deepEqual(events.map((e) => [e.type, e.envelope, e.run_id]),
    [['connection_established', 'flat', undefined], ['agent_started', 'legacy', 'r1'], ['pong', 'flat', undefined]]);
  assert.equal(events[1]?.timestamp, '2026-01-01T00:00:00.000Z');
  assert.deepEqual(events[2]?.data, { echo: { type: 'ping' } });
  assert.deepEqual(await session.closed, { code: 4001, reason: 'bye', meaning: 'application-defined' });
});

test('subprotocol auth offers jwt-auth and the base64url token, browser style', async (t) => {
  const server = await wsServer(t, () => {});
  const result = await openSession({ url: server.url, token: TOKEN, auth: 'subprotocol', timeoutMs: 5000 });
  assert.ok(result.ok);
  const offered = String(server.requests[0]?.headers['sec-websocket-protocol']).split(/,\s*/);
  assert.equal(offered[0], 'jwt-auth');
  assert.equal(Buffer.from(String(offered[1]).replace(/^jwt\./, ''), 'base64url').toString(), TOKEN);
  assert.equal(server.requests[0]?.headers.authorization, undefined);
  assert.equal(result.session.protocol, 'jwt-auth');
  assert.equal((await result.session.close()).code, 1000);
});

test('a 401 refusal keeps the status and the reason from the body', async (t) => {
  const url = await refusingServer(t, 401, 'Unauthorized', '{"error":"unauthorized","reason":"invalid_signature"}');
  const failure = await openFailure({ url, token: TOKEN, auth: 'header', timeoutMs: 5000 });
  assert.equal(failure.kind, 'http-status');
  assert.match(explainFailure(failure), new RegExp(`^WebSocket handshake to ${url} with an Authorization: Bearer token: refused with HTTP 401 Unauthorized: unauthorized: invalid_signature after \\d+ ms$`));
  assert.doesNotMatch(explainFailure(failure), /eyJ/);
});

test('a 503 refusal quotes the body message', async (t) => {
  const url = await refusingServer(t, 503, 'Service Unavailable', '{"status":"unhealthy","error":"service_not_ready","message":"database not connected"}');
  const failure = await openFailure({ url, auth: 'header', timeoutMs: 5000 });
  assert.match(explainFailure(failure), /without a token: refused with HTTP 503 Service Unavailable: service_not_ready: database not connected after/);
});

test('nothing listening is a refused connection naming host and port', async () => {
  const probe = net.createServer();
  // Take a port the OS just handed out, then free it so nothing listens there.
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const free = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const failure = await openFailure({ url: `ws://127.0.0.1:${free}/ws`, token: TOKEN, auth: 'header', timeoutMs: 5000 });
  assert.equal(failure.kind, 'refused');
  assert.match(explainFailure(failure), new RegExp(`connection refused: nothing is listening on 127.0.0.1:${free} after`));
});

test('a server that accepts the TCP connection and never answers times out, saying how long it waited', async (t) => {
  // Reads and ignores everything, so it notices when the client gives up.
  const silent = net.createServer((socket) => socket.resume());
  const port = await listen(t, silent);
  const failure = await openFailure({ url: `ws://127.0.0.1:${port}/ws`, auth: 'header', timeoutMs: 300 });
  assert.equal(failure.kind, 'timeout');
  assert.ok(failure.waitedMs >= 290 && failure.waitedMs < 2000, `waited ${failure.waitedMs} ms`);
  assert.match(explainFailure(failure), /no answer: timed out after 3\d\d ms$/);
});

test('wss:// against a plain HTTP listener is a TLS error', async (t) => {
  const port = await listen(t, http.createServer((_req, res) => res.end('plain')));
  const failure = await openFailure({ url: `wss://127.0.0.1:${port}/ws`, auth: 'header', timeoutMs: 5000 });
  assert.equal(failure.kind, 'tls');
  assert.match(explainFailure(failure), /TLS error \(/);
});

test('a server closing right after the upgrade reports the code, its meaning and the reason', async (t) => {
  const server = await wsServer(t, (ws) => ws.close(1013, 'too many connections for this user'));
  const result = await openSession({ url: server.url, token: TOKEN, auth: 'header', timeoutMs: 5000 });
  assert.ok(result.ok);
  assert.deepEqual(await result.session.closed, { code: 1013, reason: 'too many connections for this user', meaning: 'try again later' });
});

test('a URL ws cannot use is a failure value, not an exception', async () => {
  const failure = await openFailure({ url: 'ftp://127.0.0.1/ws', auth: 'header', timeoutMs: 1000 });
  assert.equal(failure.kind, 'invalid-url');
  assert.match(explainFailure(failure), /not a WebSocket URL/);
});

test('socket errors are sorted into DNS, TLS and other network failures by their code', () => {
  // Node's own error shapes (a getaddrinfo failure, an openssl verification failure, a reset); no lookup leaves the machine.
  const attempt = { url: 'wss://backend.example.invalid/ws', auth: 'header' as const, waitedMs: 12 };
  const dns = failureFromError(attempt, Object.assign(new Error('getaddrinfo ENOTFOUND backend.example.invalid'), { code: 'ENOTFOUND' }));
  assert.equal(explainFailure(dns), 'WebSocket handshake to wss://backend.example.invalid/ws with an Authorization: Bearer token: DNS lookup of backend.example.invalid failed (ENOTFOUND) after 12 ms');
  const tls = failureFromError(attempt, Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }));
  assert.equal(tls.kind, 'tls');
  assert.match(explainFailure(tls), /TLS error \(DEPTH_ZERO_SELF_SIGNED_CERT\): self-signed certificate after 12 ms$/);
  const reset = failureFromError(attempt, Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
  assert.match(explainFailure(reset), /network error \(ECONNRESET\): read ECONNRESET after 12 ms$/);
});
