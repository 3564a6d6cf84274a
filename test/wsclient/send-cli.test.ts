// `handshake send` as a user runs it: `node dist/cli.js send ...` in a child process against the real local
// backend (startBackend on an ephemeral port), for the passing check and every way it can fail.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startBackend, type RunningBackend } from '../../server/backend/backend';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const FIVE = 'agent_started,agent_thinking,tool_executing,tool_completed,agent_completed';
const RUN = JSON.stringify({ type: 'start_agent', data: { query: 'status of order 42', step_delay_ms: 5 } });

let backend: RunningBackend;
const secret = crypto.randomBytes(24).toString('base64url');
// A workspace of its own: zero config unless a test writes one, and a private state directory.
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'handshake-send-'));

before(async () => {
  backend = await startBackend({ host: '127.0.0.1', port: 0, profile: 'development', secret });
});
after(async () => {
  await backend.close();
  fs.rmSync(workspace, { recursive: true, force: true });
});

interface CliRun { code: number; stdout: string; stderr: string }

function send(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'send', ...args], {
      cwd: workspace, timeout: 20_000,
      env: { PATH: process.env.PATH, HOME: workspace, XDG_STATE_HOME: workspace, NO_COLOR: '1', HANDSHAKE_JWT_SECRET: secret, ...env },
    }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

function assertNoToken(run: CliRun): void {
  // A JWT starts with the base64url of '{"alg"': it must never be printed.
  assert.doesNotMatch(run.stdout + run.stderr, /eyJ[\w-]{10,}/);
}

test('the five agent events arrive in order: exit 0, one line per event', async () => {
  const run = await send(['--url', backend.wsUrl, '--user', 'alice', '--message', RUN, '--expect', FIVE]);
  assert.equal(run.code, 0, run.stderr);
  const types = run.stdout.trim().split('\n').slice(0, -1).map((line) => line.split(/\s+/)[1]);
  assert.deepEqual(types, ['connection_established', 'agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed']);
  assert.match(run.stdout, /^\d\d:\d\d:\d\d\.\d{3}\s+tool_executing\s+knowledge_search\s+\{/m);
  assert.match(run.stdout, /^ok: expected events arrived in order: agent_started -> .* -> agent_completed$/m);
  assertNoToken(run);
});

test('--json prints every event and the result as JSON Lines', async () => {
  const run = await send(['--url', backend.wsUrl, '--user', 'bob', '--message', RUN, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines[0]?.type, 'connection_established');
  assert.equal(lines.at(-2)?.type, 'agent_completed');
  assert.deepEqual(lines.at(-1), { result: 'passed', reason: 'expected events arrived in order: agent_completed',
    received: ['connection_established', 'agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'] });
});

test('subprotocol auth passes the same check', async () => {
  const run = await send(['--url', backend.wsUrl, '--user', 'carol', '--auth', 'subprotocol', '--message', RUN, '--expect', FIVE]);
  assert.equal(run.code, 0, run.stderr);
});

test('a configured target name resolves to its URL and auth', async () => {
  fs.writeFileSync(path.join(workspace, 'cfg.json'), JSON.stringify({ targets: { bench: { url: backend.wsUrl, auth: 'subprotocol' } } }));
  const run = await send(['--url', 'bench', '--user', 'dave', '--message', '{"type":"ping"}'], { HANDSHAKE_CONFIG: 'cfg.json' });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^ok: expected events arrived in order: pong$/m);
});

test('a token signed with the wrong secret is refused with 401 and the reason', async () => {
  const run = await send(['--url', backend.wsUrl, '--user', 'eve', '--message', RUN], { HANDSHAKE_JWT_SECRET: 'not-the-backend-secret' });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /refused with HTTP 401 Unauthorized: unauthorized: invalid_signature after \d+ ms/);
  assertNoToken(run);
});

test('nothing listening is reported as refused', async () => {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const run = await send(['--url', `ws://127.0.0.1:${port}/ws`, '--user', 'frank', '--message', RUN]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, new RegExp(`connection refused: nothing is listening on 127.0.0.1:${port}`));
});

test('a wrong path is a 404 on upgrade with the server\'s message', async () => {
  const run = await send(['--url', backend.wsUrl.replace(/\/ws$/, '/socket'), '--user', 'gina', '--message', RUN]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /refused with HTTP 404 Not Found: not_found: no WebSocket at \/socket; use \/ws/);
});

test('an expected event that never comes is named', async () => {
  const run = await send(['--url', backend.wsUrl, '--user', 'hank', '--message', RUN, '--expect', 'agent_started,tool_error']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^failed: event tool_error missing$/m);
});

test('events in the wrong order are reported as out of order', async () => {
  const run = await send(['--url', backend.wsUrl, '--user', 'ivy', '--message', RUN, '--expect', 'agent_completed,agent_started']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^failed: agent_started arrived before agent_completed \(out of order\)$/m);
});

test('a run slower than --timeout times out naming what is still missing', async () => {
  const slow = JSON.stringify({ type: 'start_agent', data: { query: 'slow', step_delay_ms: 2000 } });
  const started = Date.now();
  const run = await send(['--url', backend.wsUrl, '--user', 'jack', '--message', slow, '--expect', FIVE, '--timeout', '600ms']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^failed: timed out after 600 ms still waiting for agent_started, agent_thinking, tool_executing, tool_completed, agent_completed$/m);
  assert.ok(Date.now() - started < 5000, 'the CLI stops at the timeout');
});

test('an oversized message is closed 1009 and the close code is explained', async () => {
  const big = JSON.stringify({ type: 'start_agent', data: { query: 'x'.repeat(9000) } });
  const run = await send(['--url', backend.wsUrl, '--user', 'kate', '--message', big]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^failed: connection closed with code 1009 \(message too big\).* while still waiting for agent_completed$/m);
});

test('without --expect, a run that ends in an error event fails with its message', async () => {
  const failing = JSON.stringify({ type: 'start_agent', data: { query: 'q', step_delay_ms: 5, fail: 'tool' } });
  const run = await send(['--url', backend.wsUrl, '--user', 'liam', '--message', failing]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^failed: the run ended with tool_error: knowledge_search failed/m);
});

test('a message the server rejects (validation_error) fails with the server\'s explanation', async () => {
  const run = await send(['--url', backend.wsUrl, '--user', 'noah', '--message', '{"type":"bogus"}']);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /validation_error/);
  assert.match(run.stderr, /^failed: the server answered with validation_error: \S.*$/m);
});

test('an error event asked for with data.fail passes when --expect names it', async () => {
  const failing = JSON.stringify({ type: 'start_agent', data: { query: 'q', step_delay_ms: 5, fail: 'tool' } });
  const run = await send(['--url', backend.wsUrl, '--user', 'mia', '--message', failing, '--expect', 'tool_executing,tool_error']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^ok: expected events arrived in order: tool_executing -> tool_error$/m);
});

test('--expect in the JSON form (the format scenarios use) checks fields too, and names the field that did not hold', async () => {
  const fields = JSON.stringify([{ type: 'tool_completed', fields: { tool_name: 'knowledge_search', 'data.status': 'success' } }, 'agent_completed']);
  const pass = await send(['--url', backend.wsUrl, '--user', 'olga', '--message', RUN, '--expect', fields]);
  assert.equal(pass.code, 0, pass.stderr);
  assert.match(pass.stdout, /^ok: expected events arrived in order: tool_completed\{tool_name="knowledge_search", data\.status="success"\} -> agent_completed$/m);
  const wrong = JSON.stringify([{ type: 'tool_completed', fields: { tool_name: 'web_search' } }]);
  const fail = await send(['--url', backend.wsUrl, '--user', 'olga', '--message', RUN, '--expect', wrong]);
  assert.equal(fail.code, 1);
  assert.match(fail.stderr, /^failed: tool_completed arrived but tool_name is "knowledge_search", expected="web_search"$/m);
});

test('usage errors exit 2 and say what is wrong', async () => {
  const cases: [string[], RegExp][] = [
    [['--url', backend.wsUrl, '--user', 'u', '--message', '{not json'], /--message is not JSON/],
    [['--url', backend.wsUrl, '--user', 'u', '--message', '[1]'], /--message must be a JSON object/],
    [['--url', 'nowhere', '--user', 'u', '--message', RUN], /"nowhere" is neither a ws:\/\/ or wss:\/\/ URL nor a target \(known targets: local, stack\)/],
    [['--url', backend.wsUrl, '--user', 'u', '--message', RUN, '--timeout', 'soon'], /not a duration: "soon"/],
    [['--url', backend.wsUrl, '--user', 'u', '--message', RUN, '--auth', 'cookie'], /--auth must be header or subprotocol/],
    [['--url', backend.wsUrl, '--message', RUN], /--user is required/],
    [['--url', backend.wsUrl, '--user', 'u', '--message', RUN, '--expect', '[{"fields":{}}]'], /--expect does not match schemas\/expectation\.schema\.json at \/0/],
  ];
  for (const [args, message] of cases) {
    const run = await send(args);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
});
