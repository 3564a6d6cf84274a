// What CI reads: JUnit XML that is well formed and matches the JUnit schema CI systems read (a case per user
// and step, failures and skips with their reasons), and a run split in shards whose users never overlap and
// whose merged report counts what one unsharded run counts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { shardUsers } from '../../server/check/runner';
import { startTestBackend } from '../backend/support';
import { check, workspace, writeFile } from './support';

// Read from the source tree: the build copies schemas/ to out/, not test data.
const junitSchema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../test/check/junit.schema.json'), 'utf8')) as object;
const validateJunit = new Ajv({ allErrors: true }).compile(junitSchema);

/** Parsed JUnit, with every element that may repeat read as an array. */
function parseJunit(xml: string): { testsuites: { testsuite: Array<Record<string, unknown> & { testcase: Array<Record<string, unknown>> }> } } {
  assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  const parser = new XMLParser({ ignoreAttributes: false, parseAttributeValue: false, isArray: (name) => ['testsuite', 'testcase', 'failure', 'skipped', 'error'].includes(name) });
  const parsed = parser.parse(xml) as ReturnType<typeof parseJunit>;
  assert.equal(validateJunit(parsed), true, JSON.stringify(validateJunit.errors));
  return parsed;
}

// One user passes; the other fails at step 2 (the pattern), so the file has passes, a failure and skips.
const MIXED = `name: mixed
users: [ann, "bob <&\\"'>"]
timeout: 1s
steps:
  - connect
  - expect: [{ type: connection_established, fields: { user_id: { pattern: "^ann$" } } }]
  - send: { type: ping }
    expect: [pong]
  - close
`;

test('JUnit output matches the JUnit schema: a case per user and step, failures and skips with reasons', async (t) => {
  const backend = await startTestBackend(t);
  const out = path.join(workspace, 'mixed.xml');
  const run = await check([writeFile('mixed.yaml', MIXED), '--target', backend.wsUrl, '--report', 'junit', '--out', out]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^FAILED step 2 expect connection_established: 1 user, first bob <&"'>: /m, 'the text summary still reaches the terminal');
  const suite = parseJunit(fs.readFileSync(out, 'utf8')).testsuites.testsuite[0]!;
  assert.deepEqual([suite['@_tests'], suite['@_failures'], suite['@_skipped']], ['10', '1', '2']);
  const rows = suite.testcase.map((c) => `${String(c['@_classname'])} | ${String(c['@_name'])} | ${c.failure ? 'failure' : c.skipped ? 'skipped' : 'passed'}`);
  assert.deepEqual(rows, [
    'mixed.ann | 1 connect | passed', 'mixed.ann | 2 expect connection_established | passed', 'mixed.ann | 3 send ping | passed', 'mixed.ann | 4 close | passed',
    'mixed.bob <&"\'> | 1 connect | passed', 'mixed.bob <&"\'> | 2 expect connection_established | failure',
    'mixed.bob <&"\'> | 3 send ping | skipped', 'mixed.bob <&"\'> | 4 close | skipped',
    'mixed.invariants | no user receives another user\'s events | passed', 'mixed.invariants | no event of a run after its agent_completed | passed',
  ]);
  const failure = (suite.testcase[5]!.failure as Array<Record<string, string>>)[0]!;
  assert.match(failure['@_message']!, /^timed out after 1 s still waiting for connection_established/);
});

test('shards cover every user exactly once', () => {
  const all = Array.from({ length: 23 }, (_, i) => `u${i + 1}`);
  const shards = [1, 2, 3, 4].map((index) => shardUsers(all, { index, count: 4 }).map((u) => u.name));
  assert.deepEqual(shards.flat().sort(), [...all].sort());
  assert.equal(new Set(shards.flat()).size, all.length);
  assert.ok(shards.every((s) => s.length >= 5 && s.length <= 6), 'balanced');
  assert.deepEqual(shardUsers(all, { index: 2, count: 4 }), shardUsers(all, { index: 2, count: 4 }), 'deterministic');
  // More runners than users: the extra shard runs nobody (and passes), the others one user each.
  assert.deepEqual([1, 2, 3].map((index) => shardUsers(['a', 'b'], { index, count: 3 }).map((u) => `${u.name}#${u.n}`)), [['a#1'], ['b#2'], []]);
});

test('three shards merged give the counts of one unsharded run, in one report and one JUnit file', async (t) => {
  const backend = await startTestBackend(t);
  const base = ['--preset', 'golden-path', '--target', backend.wsUrl, '--users', '12', '--report', 'json'];
  const whole = JSON.parse((await check(base)).stdout) as Record<string, unknown>;
  const files: string[] = [];
  for (const k of [1, 2, 3]) {
    const file = path.join(workspace, `shard-${k}.json`);
    const run = await check([...base, '--shard', `${k}/3`, '--out', file]);
    assert.equal(run.code, 0, run.stderr);
    files.push(file);
  }
  const junit = path.join(workspace, 'merged.xml');
  const merged = await check(['--merge', ...files, '--report', 'json', '--junit', junit]);
  assert.equal(merged.code, 0, merged.stderr);
  const counts = (r: Record<string, unknown>) => {
    const summary = r.summary as { passed: number; failed: number; skipped: number; steps: Array<{ label: string; passed: number }> };
    return { users: r.users, sessions: r.sessions, violations: r.violationCount, passed: summary.passed, failed: summary.failed,
      skipped: summary.skipped, steps: summary.steps.map((s) => [s.label, s.passed]), who: (r.cases as Array<{ user: string }>).map((c) => c.user).sort() };
  };
  assert.deepEqual(counts(JSON.parse(merged.stdout) as Record<string, unknown>), counts(whole));
  assert.equal(parseJunit(fs.readFileSync(junit, 'utf8')).testsuites.testsuite[0]!.testcase.length, 12 * 4 + 2);

  const twice = await check(['--merge', files[0]!, files[0]!]);
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /user golden-1 is in two of the reports/);
});
