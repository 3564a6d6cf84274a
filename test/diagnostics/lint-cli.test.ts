// `handshake lint` through the real bundled CLI (node dist/cli.js) on a copy of the fixture tree: the three
// formats, the exit codes, SARIF validated against the SARIF 2.1.0 schema, and --fix.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { tempTree } from '../support/temp-tree';
import { copyWorkspace, FIXTURE } from './lsp-client';

const repo = path.resolve(__dirname, '../../..');
const cli = path.join(repo, 'dist/cli.js');
let workspace: string;

function lintIn(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [cli, 'lint', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const lint = (...args: string[]) => lintIn(workspace, ...args);

before(() => {
  workspace = copyWorkspace(FIXTURE);
  // Ignored and skipped places hold deprecated imports too: none of them may be reported.
  const stale = 'from netra_backend.app.services.websocket_notifier import WebSocketNotifier\n';
  for (const dir of ['.venv/lib', 'node_modules/pkg', 'generated']) {
    fs.mkdirSync(path.join(workspace, dir), { recursive: true });
    fs.writeFileSync(path.join(workspace, dir, 'old.py'), stale);
  }
  fs.writeFileSync(path.join(workspace, '.gitignore'), 'generated/\n');
});

after(() => fs.rmSync(workspace, { recursive: true, force: true }));

test('text: one line per finding with path:line:column, exit 1, ignored and virtualenv files skipped', () => {
  const run = lint();
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /^netra_backend\/app\/agents\/calls\.py:11:29: warning: send_agent_started is deprecated/m);
  assert.match(run.stdout, /^frontend\/src\/uses\.ts:2:35: error: Import of deprecated module @netra\/websocket-notifier/m);
  assert.doesNotMatch(run.stdout, /\.venv|node_modules|generated|clean\.py/);
  assert.match(run.stderr, /52 findings in 7 of 12 files \(33 fixable with --fix\)/);
});

test('json: findings per file with ranges and fixes', () => {
  const run = lint('--format', 'json', 'netra_backend');
  assert.equal(run.code, 1, run.stderr);
  const report = JSON.parse(run.stdout) as { summary: { findings: number }; files: Array<{ path: string; findings: Array<{ code: string; range: { start: { line: number } }; fix?: unknown }> }> };
  assert.equal(report.summary.findings, 37);
  assert.deepEqual(report.files.map((f) => f.path), [
    'netra_backend/app/agents/broken_syntax.py', 'netra_backend/app/agents/calls.py', 'netra_backend/app/agents/half_migrated.py',
    'netra_backend/app/agents/import_forms.py']);
  const calls = report.files[1]!.findings;
  assert.equal(calls[2]!.code, 'deprecated-call');
  assert.equal(calls[2]!.range.start.line, 10);
  assert.ok(calls[2]!.fix);
});

test('sarif: valid against the SARIF 2.1.0 schema, relative URIs, rule ids, 1-based regions', () => {
  const run = lint('--format', 'sarif');
  assert.equal(run.code, 1, run.stderr);
  const log = JSON.parse(run.stdout) as any;
  // unicodeRegExp off: the schema's language-tag pattern is not a valid /u regular expression.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const schema = JSON.parse(fs.readFileSync(path.join(repo, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'));
  const valid = ajv.validate(schema, JSON.parse(run.stdout));
  assert.ok(valid, JSON.stringify(ajv.errors?.slice(0, 3)));
  const [sarifRun] = log.runs;
  const ruleIds = sarifRun.tool.driver.rules.map((r: { id: string }) => r.id);
  assert.ok(ruleIds.includes('websocket-notifier/deprecated-call'));
  assert.equal(sarifRun.results.length, 52);
  for (const result of sarifRun.results) {
    assert.ok(ruleIds.includes(result.ruleId));
    assert.equal(sarifRun.tool.driver.rules[result.ruleIndex].id, result.ruleId);
    const { artifactLocation, region } = result.locations[0].physicalLocation;
    assert.equal(artifactLocation.uriBaseId, '%SRCROOT%');
    assert.ok(!artifactLocation.uri.startsWith('/') && !artifactLocation.uri.includes(':'), artifactLocation.uri);
    assert.ok(region.startLine >= 1 && region.startColumn >= 1);
    // A reason the message already gives is not repeated after it (as in the editor's diagnostics).
    const [, said, reason] = /^(.*) \(no automatic fix: (.*)\)$/.exec(result.message.text) ?? [];
    assert.ok(!reason || !said!.includes(reason), result.message.text);
  }
  const call = sarifRun.results.find((r: any) => r.ruleId === 'websocket-notifier/deprecated-call');
  assert.deepEqual(call.locations[0].physicalLocation.artifactLocation.uri, 'netra_backend/app/agents/calls.py');
  assert.equal(call.locations[0].physicalLocation.region.startLine, 11);
  assert.equal(call.locations[0].physicalLocation.region.startColumn, 29);
});

test('usage errors exit 2: unknown format, missing path', () => {
  const format = lint('--format', 'xml');
  assert.equal(format.code, 2);
  assert.match(format.stderr, /unknown --format "xml"/);
  const missing = lint('no/such/dir');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file or directory: no\/such\/dir/);
});

test('a clean path exits 0', () => {
  const run = lint('netra_backend/app/agents/clean.py');
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stderr, /0 findings in 0 of 1 files/);
});

test('--fix applies only the safe rewrites; the files still parse; what remains has no automatic fix', () => {
  const run = lint('--fix', '--format', 'json');
  assert.equal(run.code, 1, run.stderr);
  const report = JSON.parse(run.stdout) as { summary: { fixed: number }; files: Array<{ path: string; findings: Array<{ code: string; range: { start: { line: number } }; fix?: unknown; noFixReason?: string }> }> };
  assert.ok(report.summary.fixed > 0);
  for (const file of report.files) for (const f of file.findings) assert.equal(f.fix, undefined);
  // The calls without an equivalent are still reported on the rewritten file (now calls on AgentWebSocketBridge).
  const left = report.files.find((f) => f.path === 'netra_backend/app/agents/calls.py')?.findings.map((f) => `${f.range.start.line + 1}:${f.code}`);
  assert.deepEqual(left, ['16:no-equivalent', '17:no-equivalent', '18:no-equivalent', '19:deprecated-call']);
  const calls = fs.readFileSync(path.join(workspace, 'netra_backend/app/agents/calls.py'), 'utf8');
  assert.match(calls, /^from netra_backend\.app\.services\.agent_websocket_bridge import AgentWebSocketBridge$/m);
  assert.match(calls, /await self\.notifier\.notify_agent_started\(context\.run_id, context\.agent_name\)/);
  assert.match(calls, /await self\.notifier\.send_partial_result\(context, "half"\)/, 'no rewrite without an equivalent');
  assert.match(calls, /# await self\.notifier\.send_agent_started\(context\)/, 'comments untouched');
  const again = lint('--format', 'json');
  assert.equal(JSON.parse(again.stdout).summary.fixable, 0);
});

test('--fix refuses a rewrite that would not parse and leaves the file as it was', () => {
  const source = 'from legacy.notify import Notifier\n\nn = Notifier()\nn.send(ctx)\n';
  const dir = tempTree({
    // A user rule whose argument template is broken on purpose: its rewrite cannot parse.
    'handshake.config.json': JSON.stringify({ deprecations: { useDefaults: false, rules: [{
      id: 'broken-template', modules: ['legacy.notify'], names: ['Notifier'], message: 'Use the new notifier.',
      methods: [{ name: 'send', rename: 'notify', parameters: ['context'], arguments: ['{context}.run_id)'] }],
    }] } }),
    'app.py': source,
  }, 'handshake-lint-refuse-');
  try {
    const run = lintIn(dir, '--fix');
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /app\.py: --fix refused: the rewritten file would not parse/);
    assert.equal(fs.readFileSync(path.join(dir, 'app.py'), 'utf8'), source);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
