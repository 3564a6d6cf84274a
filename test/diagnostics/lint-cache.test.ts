// handshake lint's cache on real files: a re-run trusts only files whose stamp is unchanged and reports what
// an uncached run reports; an edit that keeps the size and the modification time is still seen (the change
// time moves); other rules or a damaged cache file start afresh; a file changed just before the run is not
// recorded; files gone from the linted paths are dropped; through the CLI, --fix still rewrites files whose
// findings came from the cache, and --no-cache writes none.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { lint, type FileReport } from '../../server/diagnostics/lint';
import { LintCache } from '../../server/diagnostics/lint-cache';
import type { RuleSet } from '../../server/diagnostics/rules';
import { copyWorkspace, FIXTURE, rulesOf } from './lsp-client';

const cli = path.resolve(__dirname, '../../../dist/cli.js');
const CALLS = 'netra_backend/app/agents/calls.py';
let cacheHome: string;
const env = () => ({ ...process.env, XDG_CACHE_HOME: cacheHome });
/** Tests that are not about the racy window record files however recently they were written. */
const open = (root: string, rules: RuleSet, racyMs = 0) => LintCache.open(root, rules, { env: env(), racyMs });

async function reportsOf(root: string, rules: RuleSet, cache?: LintCache, paths = [root]): Promise<FileReport[]> {
  const all: FileReport[] = [];
  for await (const reports of lint(paths, rules, { workspaceRoot: root, cache })) all.push(...reports);
  return all;
}

/** Lints with the cache and writes it, as the CLI does. */
async function lintAndSave(root: string, rules: RuleSet, cache: LintCache): Promise<FileReport[]> {
  const reports = await reportsOf(root, rules, cache);
  assert.equal(cache.save(['']), undefined);
  return reports;
}

/** A fresh copy of the fixture workspace for one test, removed after it. */
async function inWorkspace(body: (workspace: string, rules: RuleSet) => Promise<void>): Promise<void> {
  const workspace = copyWorkspace(FIXTURE);
  try {
    await body(workspace, rulesOf(workspace));
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

const entriesOf = (cache: LintCache) => Object.keys((JSON.parse(fs.readFileSync(cache.file, 'utf8')) as { files: object }).files).sort();

before(() => {
  cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'handshake-cache-'));
});
after(() => fs.rmSync(cacheHome, { recursive: true, force: true }));

test('a re-run takes unchanged files from the cache, sees an edit that keeps size and mtime, and reports as an uncached run', () => inWorkspace(async (workspace, rules) => {
  const uncached = await reportsOf(workspace, rules);
  assert.deepEqual(await lintAndSave(workspace, rules, open(workspace, rules)), uncached);

  const second = open(workspace, rules);
  for (const report of uncached) assert.deepEqual(second.findings(report.path, path.join(workspace, report.path)), report.findings, report.path);

  const file = path.join(workspace, CALLS);
  const { atime, mtime, size } = fs.statSync(file);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('await self.notifier.send_agent_started(context)', 'await self.notifier.send_agent_ztarted(context)'));
  fs.utimesSync(file, atime, mtime);
  assert.equal(fs.statSync(file).size, size);
  assert.equal(second.findings(CALLS, file), undefined, 'same size and mtime, but the change time moved');

  const edited = await reportsOf(workspace, rules, second);
  assert.deepEqual(edited, await reportsOf(workspace, rules));
  const count = (reports: FileReport[]) => reports.find((r) => r.path === CALLS)!.findings.length;
  assert.equal(count(edited), count(uncached) - 1, 'the renamed call is no longer reported');
}));

test('other rules, a damaged cache file or entries of the wrong shape: nothing is trusted, and the file is replaced', () => inWorkspace(async (workspace, rules) => {
  const expected = await reportsOf(workspace, rules);
  const cache = open(workspace, rules);
  await lintAndSave(workspace, rules, cache);
  const fewer: RuleSet = { rules: rules.rules.slice(1) };
  assert.equal(open(workspace, fewer).findings(CALLS, path.join(workspace, CALLS)), undefined);

  const key = (JSON.parse(fs.readFileSync(cache.file, 'utf8')) as { key: string }).key;
  const stamp = (({ size, mtimeMs, ctimeMs, ino }) => [size, mtimeMs, ctimeMs, ino])(fs.statSync(path.join(workspace, CALLS)));
  const damagedFiles = ['{"key": ', JSON.stringify({ key, files: { [CALLS]: { stamp: 1 } } }), JSON.stringify({ key, files: { [CALLS]: [...stamp, 'x'] } }),
    JSON.stringify({ key, files: { [CALLS]: [...stamp, [{ bogus: 1 }]] } })];
  for (const damaged of damagedFiles) {
    fs.writeFileSync(cache.file, damaged);
    const reopened = open(workspace, rules);
    assert.equal(reopened.findings(CALLS, path.join(workspace, CALLS)), undefined, damaged);
    assert.deepEqual(await lintAndSave(workspace, rules, reopened), expected);
    assert.ok(entriesOf(reopened).includes(CALLS), 'rewritten whole');
  }
}));

test('an unusable cache folder: the run reports as usual and says why nothing was saved', () => inWorkspace(async (workspace, rules) => {
  const notAFolder = path.join(cacheHome, 'a-file');
  fs.writeFileSync(notAFolder, '');
  const cache = LintCache.open(workspace, rules, { env: { XDG_CACHE_HOME: notAFolder }, racyMs: 0 });
  assert.deepEqual(await reportsOf(workspace, rules, cache), await reportsOf(workspace, rules));
  assert.match(cache.save([''])!, /ENOTDIR/);
  const run = spawnSync(process.execPath, [cli, 'lint'], { cwd: workspace, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: notAFolder } });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /the lint cache was not saved \(ENOTDIR.*--no-cache runs without it/);
  assert.match(run.stderr, /52 findings in 7 of 12 files/);
}));

test('a file changed within two seconds of the run is not recorded; files gone from the linted paths are dropped', () => inWorkspace(async (workspace, rules) => {
  const fresh = LintCache.open(workspace, rules, { env: env() });
  await lintAndSave(workspace, rules, fresh);
  assert.deepEqual(entriesOf(fresh), [], 'every file was just copied');

  const cache = open(workspace, rules);
  await lintAndSave(workspace, rules, cache);
  assert.ok(entriesOf(cache).includes(CALLS));
  const frontend = entriesOf(cache).filter((p) => p.startsWith('frontend/'));
  assert.ok(frontend.length > 0);

  fs.rmSync(path.join(workspace, CALLS));
  const rerun = open(workspace, rules);
  await reportsOf(workspace, rules, rerun, [path.join(workspace, 'netra_backend')]);
  rerun.save(['netra_backend']);
  assert.ok(!entriesOf(rerun).includes(CALLS), 'gone from the linted folder');
  assert.deepEqual(entriesOf(rerun).filter((p) => p.startsWith('frontend/')), frontend, 'outside it: kept');
}));

test('CLI: a cached re-run prints the same; --fix rewrites files whose findings were cached; --no-cache writes no cache', () => inWorkspace(async (workspace) => {
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'lint', '--format', 'json', ...args], { cwd: workspace, encoding: 'utf8', env: env() });
  const cacheDir = path.join(cacheHome, 'handshake');
  const before = new Set(fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []);
  assert.equal(run('--no-cache').status, 1);
  assert.deepEqual(new Set(fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []), before, '--no-cache wrote nothing');

  await sleep(2_100); // past the racy window: the copied files are recorded
  const first = run();
  assert.equal(first.status, 1, first.stderr);
  const cacheFile = fs.readdirSync(cacheDir).find((f) => !before.has(f))!;
  assert.ok(cacheFile, 'the run wrote its cache');
  const second = run();
  assert.equal(second.stdout, first.stdout);
  assert.ok(JSON.parse(second.stdout).summary.fixable > 0);

  const fixed = run('--fix');
  assert.ok(JSON.parse(fixed.stdout).summary.fixed > 0, fixed.stderr);
  const afterFix = run();
  assert.equal(afterFix.stdout, run('--no-cache').stdout);
  assert.equal(JSON.parse(afterFix.stdout).summary.fixable, 0);
}));
