// Isolation across users, against a deliberately leaking server: a small real `ws` server that speaks the
// protocol but also sends one user's event to another. `handshake check` must fail naming both users,
// while the same scenario passes against the real local backend.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { decodeJwt } from 'jose';
import { startTestBackend } from '../backend/support';
import { check, runYaml, writeFile } from './support';

const USERS = ['alice', 'bob'];

const SCENARIO = `name: two users
users: [${USERS.join(', ')}]
steps:
  - connect
  - expect: [connection_established]
  - send: { type: start_agent, data: { query: "mine", step_delay_ms: 5 } }
    expect: [agent_started, agent_thinking, tool_executing, tool_completed, agent_completed]
  - close
`;

/** Runs start once both users are connected, so the leak always has someone to reach. */
async function leakingServer(t: TestContext, leak: 'user_id' | 'run_id'): Promise<string> {
  const sockets = new Map<string, WebSocket>();
  const waiting: Array<() => void> = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws, req) => {
    const user = String(decodeJwt(String(req.headers.authorization).replace(/^Bearer /, '')).sub);
    sockets.set(user, ws);
    const event = (type: string, runId: string | null, data: Record<string, unknown> = {}, userId = user) =>
      JSON.stringify({ type, run_id: runId, thread_id: null, user_id: userId, agent_name: 'leaky', timestamp: new Date().toISOString(), data });
    ws.send(event('connection_established', null, { connection_id: `conn_${user}`, user_id: user }));
    if (sockets.size === USERS.length) waiting.splice(0).forEach((go) => go());
    ws.on('message', () => {
      const runId = `run_of_${user}`;
      const go = () => {
        for (const type of ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed']) ws.send(event(type, runId));
        // The leak: another user gets this user's thinking, addressed to its owner (or with the user id rewritten).
        const other = [...sockets.entries()].find(([name]) => name !== user)?.[1];
        other?.send(event('agent_thinking', runId, { thought: 'not yours' }, leak === 'user_id' ? user : [...sockets.keys()].find((n) => n !== user)!));
      };
      if (sockets.size === USERS.length) go();
      else waiting.push(go);
    });
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  t.after(() => new Promise<void>((resolve) => { for (const c of wss.clients) c.terminate(); wss.close(() => resolve()); }));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`;
}

test('a server that sends one user\'s event to another fails the check, naming both users', async (t) => {
  const url = await leakingServer(t, 'user_id');
  const run = await check([writeFile('leak.yaml', SCENARIO), '--target', url]);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /^INVARIANT VIOLATIONS: 2$/m);
  assert.match(run.stdout, /^  isolation: bob received agent_thinking addressed to alice$/m);
  assert.match(run.stdout, /^  isolation: alice received agent_thinking addressed to bob$/m);
  // Every expected sequence still held: the failure is the leak alone.
  assert.match(run.stdout, /^  3 send start_agent +2 +0 +0 /m);
});

test('a leak that rewrites the user id is still caught by the run id it carries', async (t) => {
  const report = await runYaml(SCENARIO, await leakingServer(t, 'run_id'));
  assert.deepEqual(report.violations.map((v) => [v.kind, v.user, v.owner]).sort(), [['isolation', 'alice', 'bob'], ['isolation', 'bob', 'alice']]);
  assert.match(report.violations[0]!.detail, /received agent_thinking of (alice|bob)'s run run_of_(alice|bob)/);
});

test('the same scenario holds against the real local backend: no cross-user event', async (t) => {
  const backend = await startTestBackend(t);
  const report = await runYaml(SCENARIO, backend.wsUrl);
  assert.equal(report.violationCount, 0);
  assert.equal(report.cases.filter((c) => c.status === 'passed').length, 8);
});
