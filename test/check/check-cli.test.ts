// `handshake check` as CI runs it: the built-in presets against the real local backend for 1, 10 and 500
// users, the JSON report's counts, a JUnit file written beside it, and the exit codes of usage mistakes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ConnectionOpened } from '../../server/inspector/events';
import { startTestBackend } from '../backend/support';
import { check, workspace } from './support';

for (const users of [1, 10, 500]) {
  test(`golden path for ${users} user(s): every session established, every step passed, no cross-user event`, async (t) => {
    const backend = await startTestBackend(t);
    const opened: ConnectionOpened[] = [];
    backend.events.subscribe({ connectionOpened: (e) => opened.push(e) });
    const junit = path.join(workspace, `golden-${users}.xml`);
    const run = await check(['--preset', 'golden-path', '--target', backend.wsUrl, '--users', String(users), '--report', 'json', '--junit', junit]);
    assert.equal(run.code, 0, run.stderr + run.stdout.slice(0, 2000));
    const report = JSON.parse(run.stdout) as { users: number; sessions: { established: number }; violationCount: number; summary: { steps: Array<{ label: string; passed: number; failed: number; p50: number; p99: number }> } };
    assert.equal(report.users, users);
    assert.equal(report.sessions.established, users);
    assert.equal(report.violationCount, 0);
    assert.deepEqual(report.summary.steps.map((s) => [s.label, s.passed, s.failed]),
      [['1 connect', users, 0], ['2 connection_established', users, 0], ['3 the five agent events', users, 0], ['4 close', users, 0]]);
    assert.ok(report.summary.steps.every((s) => s.p50 <= s.p99));
    // The backend saw each user exactly once, under the name the scenario gave it.
    assert.deepEqual(opened.map((e) => e.userId).sort(), Array.from({ length: users }, (_, i) => `golden-${i + 1}`).sort());
    assert.equal((fs.readFileSync(junit, 'utf8').match(/<testcase /g) ?? []).length, users * 4 + 2);
  });
}

test('the error-events preset produces and receives each of the five error events, and the text report says so', async (t) => {
  const backend = await startTestBackend(t);
  const run = await check(['--preset', 'error-events', '--target', backend.wsUrl]);
  assert.equal(run.code, 0, run.stderr + run.stdout);
  for (const name of ['validation_error', 'tool_error', 'agent_error', 'timeout_error', 'system_error']) {
    assert.match(run.stdout, new RegExp(`^  \\d+ ${name} +1 +0 +0 `, 'm'));
  }
  assert.match(run.stdout, /^invariants held/m);
  assert.match(run.stdout, /^passed: 9 steps$/m);
});

test('a check that fails exits 1 and names the user, the step and the frames that led to it', async (t) => {
  const backend = await startTestBackend(t);
  const run = await check(['--preset', 'golden-path', '--target', backend.wsUrl.replace(/\/ws$/, '/nowhere'), '--users', '2']);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^FAILED step 1 connect: 2 users, first golden-1: WebSocket handshake to .*\/nowhere .*refused with HTTP 404/m);
  assert.match(run.stdout, /^failed: 2 of 2 steps run failed, 6 skipped; 0 invariant violations$/m);
  assert.doesNotMatch(run.stdout + run.stderr, /eyJ[\w-]{10,}/, 'no token is ever printed');
});

test('usage mistakes exit 2 and say what is wrong', async () => {
  const cases: [string[], RegExp][] = [
    [[], /name a scenario file or a --preset/],
    [['--preset', 'nope'], /--preset must be one of golden-path, error-events/],
    [['--preset', 'golden-path', '--users', '0'], /--users must be a whole number of at least 1/],
    [['--preset', 'golden-path', '--shard', '3/2'], /--shard must be K\/N with 1 <= K <= N/],
    [['--preset', 'golden-path', '--report', 'xml'], /--report must be text, json or junit/],
    [['--preset', 'golden-path', '--target', 'nowhere'], /--target "nowhere" is neither a ws:\/\/ or wss:\/\/ URL nor a target/],
    [['--merge'], /--merge needs the JSON reports/],
    [['missing.yaml'], /bad scenario: missing\.yaml:0: cannot read the scenario: ENOENT/],
  ];
  for (const [args, message] of cases) {
    const run = await check(args);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
});
