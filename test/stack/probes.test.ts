// Probes against real servers on loopback: the project's own local backend (/health, /ws/health, /ws with
// JWT and connection_established) and small node:http / node:net servers for the failure shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startBackend } from '../../server/backend/backend';
import { mintToken } from '../../server/auth/token';
import { probeRemoteTarget, runProbe, type ProbeContext } from '../../server/stack/probes/run';
import { inferProbes } from '../../server/stack/probes/infer';

const SECRET = 'probe-test-secret-0123456789abcdef';
const ctx = (secret = SECRET): ProbeContext => ({ auth: 'header', timeoutMs: 1500, token: () => mintToken({ user: 'probe', secret, ttl: '60s' }) });

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('the local backend passes http, ws-health and websocket probes (with connection_established)', async () => {
  const backend = await startBackend({ host: '127.0.0.1', port: 0, profile: 'development', secret: SECRET });
  try {
    const port = backend.port;
    const results = await Promise.all([
      runProbe({ type: 'tcp', port }, ctx()),
      runProbe({ type: 'http', port }, ctx()),
      runProbe({ type: 'ws-health', port }, ctx()),
      runProbe({ type: 'websocket', port, expectFirstMessage: 'connection_established' }, ctx()),
    ]);
    for (const r of results) assert.equal(r.ok, true, r.detail);
    assert.match(results[1]?.detail ?? '', /^GET http:\/\/127\.0\.0\.1:\d+\/health: HTTP 200, status "healthy" after \d+ ms$/);
    assert.match(results[3]?.detail ?? '', /first message connection_established after \d+ ms$/);
    // A token signed with another secret: the handshake is refused with 401 and the reason.
    const wrong = await runProbe({ type: 'websocket', port }, ctx('another-secret-0123456789abcdef'));
    assert.equal(wrong.ok, false);
    assert.match(wrong.detail, /WebSocket handshake to ws:\/\/127\.0\.0\.1:\d+\/ws with an Authorization: Bearer token: refused with HTTP 401.* after \d+ ms/);
    const expectOther = await runProbe({ type: 'websocket', port, expectFirstMessage: 'hello' }, ctx());
    assert.match(expectOther.detail, /first message was connection_established \(expected hello\)/);
  } finally {
    await backend.close();
  }
});

test('failures say what was tried, against what, how long it waited and what came back', async () => {
  const port = await closedPort();
  const refused = await Promise.all([runProbe({ type: 'tcp', port }, ctx()), runProbe({ type: 'http', port }, ctx()), runProbe({ type: 'websocket', port }, ctx())]);
  assert.match(refused[0]?.detail ?? '', new RegExp(`^TCP connect to 127\\.0\\.0\\.1:${port}: connection refused: nothing is listening on 127\\.0\\.0\\.1:${port} after \\d+ ms$`));
  assert.match(refused[1]?.detail ?? '', /^GET http:\/\/127\.0\.0\.1:\d+\/health: connection refused/);
  assert.match(refused[2]?.detail ?? '', /connection refused: nothing is listening .* after \d+ ms/);

  const replies: Record<string, [number, string]> = {
    '/down': [503, JSON.stringify({ status: 'unhealthy', message: 'database is migrating' })],
    '/drift': [200, JSON.stringify({ status: 'ok', extra: { anything: [1, 2] } })],
    '/nostatus': [200, JSON.stringify({ healthy: true })],
    '/html': [200, '<html>hello</html>'],
    '/bad': [200, JSON.stringify({ status: 'unhealthy' })],
  };
  const server = http.createServer((req, res) => {
    if (req.url === '/hang') return; // never answers
    const [status, body] = replies[req.url ?? ''] ?? [404, 'nope'];
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  const httpPort = await listen(server);
  try {
    const at = (path: string) => runProbe({ type: 'http', port: httpPort, path, timeoutMs: 400 }, ctx());
    const [down, drift, nostatus, html, bad, hang] = await Promise.all(['/down', '/drift', '/nostatus', '/html', '/bad', '/hang'].map(at));
    assert.match(down?.detail ?? '', /HTTP 503 Service Unavailable \(expected 200\): database is migrating after/);
    assert.equal(drift?.ok, true, drift?.detail);
    assert.match(nostatus?.detail ?? '', /no "status" field/);
    assert.match(html?.detail ?? '', /body is not JSON: <html>hello<\/html>/);
    assert.match(bad?.detail ?? '', /status "unhealthy"/);
    assert.match(hang?.detail ?? '', /\/hang: no answer: timed out after \d+ ms$/);
    assert.ok((hang?.durationMs ?? 0) >= 350 && (hang?.durationMs ?? 0) < 1500, `timeout honoured (${hang?.durationMs} ms)`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('inference: published ports get TCP; a backend-looking service gets /health and /ws; databases do not', () => {
  assert.deepEqual(inferProbes('postgres', [{ hostPort: 5432, containerPort: 5432, protocol: 'tcp' }]).map((p) => p.type), ['tcp']);
  const backend = inferProbes('backend', [{ hostIp: '0.0.0.0', hostPort: 8002, containerPort: 8000, protocol: 'tcp' }]);
  // Published on every interface: no host of its own, the probe goes to the engine's host (route.ts).
  assert.deepEqual(backend.map((p) => `${p.type} ${p.host ?? 'engine'}:${p.port}${p.path ?? ''}`), ['tcp engine:8002', 'http engine:8002/health', 'websocket engine:8002/ws']);
  assert.equal(inferProbes('db', [{ hostIp: '127.0.0.1', hostPort: 5432, containerPort: 5432, protocol: 'tcp' }])[0]?.host, '127.0.0.1');
  assert.deepEqual(inferProbes('api-server', [{ hostPort: 6379, containerPort: 6379, protocol: 'tcp' }]).map((p) => p.type), ['tcp']);
  assert.deepEqual(inferProbes('worker', []), []);
});

test('remote targets: the same probes over wss/https, a TLS error explained; a reachable target is ready', async () => {
  // A self-signed certificate, made here with openssl: the TLS failure a staging proxy misconfiguration gives.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-b1-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  const server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) },
    (_req, res) => res.end('{"status":"ok"}'));
  const port = await listen(server);
  const backend = await startBackend({ host: '127.0.0.1', port: 0, profile: 'development', secret: SECRET });
  try {
    const staging = await probeRemoteTarget('staging', { url: `wss://127.0.0.1:${port}/ws`, auth: 'subprotocol' }, ctx());
    assert.equal(staging.ready, false);
    assert.deepEqual(staging.probes.map((p) => p.target), [`wss://127.0.0.1:${port}/ws`, `https://127.0.0.1:${port}/health`]);
    assert.match(staging.probes[0]?.detail ?? '', /^WebSocket handshake to wss:.* with the token in Sec-WebSocket-Protocol: TLS error .*self.signed.* after \d+ ms$/i);
    assert.match(staging.probes[1]?.detail ?? '', /^GET https:.*\/health: TLS error .*self.signed.* after \d+ ms$/i);
    const local = await probeRemoteTarget('local', { url: backend.wsUrl, auth: 'header' }, ctx());
    assert.equal(local.ready, true, JSON.stringify(local.probes));
  } finally {
    await backend.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
