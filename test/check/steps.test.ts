// The runner's steps against real servers: a failing step is pinned to its user and step, a dropped
// connection reconnects (with backoff past refusals) and resumes, and tokens come from a login endpoint,
// whose refusal fails that user's connect.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { WebSocketServer } from 'ws';
import type { ConnectionClosed, ConnectionOpened } from '../../server/inspector/events';
import { startTestBackend, token } from '../backend/support';
import { caseTable, runYaml } from './support';

const GOLDEN = `  - send: { type: start_agent, data: { query: "hi \${user}", step_delay_ms: 5 } }
    expect: [agent_started, agent_thinking, tool_executing, tool_completed, { type: agent_completed, fields: { run_id: "\${run_id}" } }]
`;

test('a step that fails for one user is reported for that user and step; the rest of that user is skipped', async (t) => {
  const backend = await startTestBackend(t);
  const report = await runYaml(`users: [alice, bob, carol]
timeout: 1s
steps:
  - connect
  - expect: [{ type: connection_established, fields: { user_id: { pattern: "^(alice|bob)$" } } }]
${GOLDEN}  - close
`, backend.wsUrl);
  const table = caseTable(report);
  assert.deepEqual(table.filter((row) => !row.endsWith(' passed')), [
    'carol 2 expect connection_established failed', 'carol 3 send start_agent skipped', 'carol 4 close skipped']);
  assert.equal(table.filter((row) => row.endsWith(' passed')).length, 9);
  const failure = report.cases.find((c) => c.status === 'failed')!.failure!;
  assert.match(failure.reason, /^timed out after 1 s still waiting for connection_established\{user_id~\/\^\(alice\|bob\)\$\/\}/);
  assert.match(failure.frames.join('\n'), /<- [\d:.]+ connection_established user_id=carol/);
});

test('reconnect after a forced drop resumes: the second connection runs the golden path too', async (t) => {
  const backend = await startTestBackend(t);
  const opened: ConnectionOpened[] = [];
  const closed: ConnectionClosed[] = [];
  backend.events.subscribe({ connectionOpened: (e) => opened.push(e), connectionClosed: (e) => closed.push(e) });
  const report = await runYaml(`users: { count: 3, name: "roamer-{n}" }
steps:
  - connect
${GOLDEN}  - drop
  - reconnect: { token: fresh, backoff: 10ms }
  - expect: [connection_established]
${GOLDEN}  - close
`, backend.wsUrl);
  assert.deepEqual(report.cases.filter((c) => c.status !== 'passed'), []);
  assert.deepEqual(report.sessions, { established: 6, failed: 0 });
  assert.equal(report.violationCount, 0);
  // Each user connected twice, and the first connection ended with the drop's close code.
  assert.deepEqual(opened.map((e) => e.userId).sort(), ['roamer-1', 'roamer-1', 'roamer-2', 'roamer-2', 'roamer-3', 'roamer-3']);
  assert.equal(closed.filter((e) => e.code === 4000).length, 3);
});

test('--concurrency 1 runs the users one after another: each connects only after the previous one sent its message', async (t) => {
  const backend = await startTestBackend(t);
  const userOf = new Map<string, string>();
  const seen: string[] = [];
  backend.events.subscribe({
    connectionOpened: (e) => { userOf.set(e.id, e.userId!); seen.push(`open ${e.userId}`); },
    frame: (f) => { if (f.from === 'client' && f.opcode === 'text') seen.push(`send ${userOf.get(f.connectionId)}`); },
  });
  const report = await runYaml(`users: [ann, ben, cy]
steps:
  - connect
${GOLDEN}  - close
`, backend.wsUrl, { concurrency: 1 });
  assert.equal(report.cases.every((c) => c.status === 'passed'), true);
  assert.deepEqual(seen, ['open ann', 'send ann', 'open ben', 'send ben', 'open cy', 'send cy']);
});

/** A ws server that refuses the upgrades numbered in `refuse` (1-based) with 503, and greets the others. */
async function flakyServer(t: TestContext, refuse: number[]): Promise<string> {
  let attempt = 0;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0,
    verifyClient: (_info, done) => (refuse.includes(++attempt) ? done(false, 503, 'restarting') : done(true)) });
  wss.on('connection', (ws) => ws.send(JSON.stringify({ type: 'connection_established', data: { connection_id: `c${attempt}` } })));
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  t.after(() => new Promise<void>((resolve) => { for (const c of wss.clients) c.terminate(); wss.close(() => resolve()); }));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`;
}

const RECONNECT = (attempts: number) => `steps:
  - connect
  - expect: [connection_established]
  - drop
  - reconnect: { attempts: ${attempts}, backoff: 5ms }
  - expect: [connection_established]
  - close
`;

test('reconnect backs off past refused attempts, and gives up after its attempts with the last refusal', async (t) => {
  const passing = await runYaml(RECONNECT(4), await flakyServer(t, [2, 3]));
  assert.deepEqual(caseTable(passing).filter((row) => !row.endsWith(' passed')), []);
  assert.deepEqual(passing.sessions, { established: 2, failed: 2 });

  const failing = await runYaml(RECONNECT(2), await flakyServer(t, [2, 3]));
  const failed = failing.cases.find((c) => c.status === 'failed')!;
  assert.equal(failing.steps[failed.step], '4 reconnect');
  assert.match(failed.failure!.reason, /^2 attempts failed; the last: WebSocket handshake to .* refused with HTTP 503 Service Unavailable/);
});

/** An auth-service-like login: POST {username, password} -> {access_token}; a wrong password is a 401. */
async function loginServer(t: TestContext): Promise<string> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    req.on('end', () => {
      const { username, password } = JSON.parse(body) as { username: string; password: string };
      const answer = (status: number, json: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(json)); };
      if (req.method !== 'POST' || password !== `pw-${username}` || username === 'mallory') return answer(401, { detail: 'Invalid credentials' });
      void token(`id-${username}`).then((jwt) => answer(200, { access_token: jwt, token_type: 'bearer' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/login`;
}

test('tokens from a login endpoint: the server knows the user by the token\'s sub; a refused login fails that user\'s connect', async (t) => {
  const backend = await startTestBackend(t);
  const login = await loginServer(t);
  const report = await runYaml(`users: [alice, mallory]
token: { source: login, url: "${login}", body: { username: "\${user}", password: "pw-\${user}" } }
auth: subprotocol
steps:
  - connect
  - expect: [{ type: connection_established, fields: { user_id: "\${user_id}", data.user_id: "id-\${user}" } }]
${GOLDEN}  - close
`, backend.wsUrl);
  assert.deepEqual(caseTable(report), [
    'alice 1 connect passed', 'alice 2 expect connection_established passed', 'alice 3 send start_agent passed', 'alice 4 close passed',
    'mallory 1 connect failed', 'mallory 2 expect connection_established skipped', 'mallory 3 send start_agent skipped', 'mallory 4 close skipped']);
  assert.equal(report.cases[4]!.failure!.reason, `login at ${login} refused with HTTP 401: Invalid credentials`);
  assert.equal(report.violationCount, 0);
});
