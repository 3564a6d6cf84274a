// `handshake lint` over a generated tree of the real service's size (8,000 Python modules, about 150 MB, 2%
// importing the deprecated notifier in assorted forms, 0.7% naming it in comments only, and one pathological
// file: a 6,000-line comment run after a statement) vs `rg -l -e websocket_notifier -e WebSocketNotifier`
// over the same tree: both as processes, warm (one untimed run each first), alternating, median of 3.
// Recall against the generator's own list of import sites. Then the memory bound: the peak resident set
// size of an in-process lint of the same tree.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lint } from '../server/diagnostics/lint';
import { loadRules } from '../server/diagnostics/rules';
import { writePythonTree } from '../test/support/python-tree';

const SHAPE = { files: 8_000, bytes: 18_500, importEvery: 50, mentionEvery: 150, pathologicalLines: 6_000 };
const RUNS = 3;
const GOAL = 5;
const cli = path.resolve(__dirname, '../../dist/cli.js');

const TIME = '/usr/bin/time';
const hasTime = fs.existsSync(TIME);

/** Wall time, and CPU time (user + system, from /usr/bin/time when present: steadier on a shared machine). */
function timed(command: string, args: string[], cwd: string): { ms: number; cpuMs: number; stdout: string } {
  const [file, argv] = hasTime ? [TIME, ['-f', '%U %S', command, ...args]] : [command, args];
  const started = performance.now();
  const run = spawnSync(file, argv, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (run.error) throw run.error;
  const [user, system] = (run.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { ms, cpuMs: hasTime ? ((user ?? 0) + (system ?? 0)) * 1000 : Number.NaN, stdout: run.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface LintJson { files: Array<{ path: string; findings: Array<{ code: string; range: { start: { line: number } } }> }> }

function importSites(report: LintJson): Set<string> {
  return new Set(report.files.flatMap((f) => f.findings.filter((x) => x.code === 'deprecated-import').map((x) => `${f.path}:${x.range.start.line}`)));
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'handshake-lint-bench-'));
  try {
    const sites = writePythonTree(root, SHAPE);
    const expected = new Set(sites.map((s) => `${s.path}:${s.line}`));
    const megabytes = Number(spawnSync('du', ['-sm', root], { encoding: 'utf8' }).stdout.split('\t')[0]);
    const hasRg = spawnSync('rg', ['--version']).status === 0;
    const lintArgs = [cli, 'lint', '--format', 'json', '.'];
    const rgArgs = ['-l', '-e', 'websocket_notifier', '-e', 'WebSocketNotifier', '.'];
    const times = { lint: [] as number[], rg: [] as number[], lintCpu: [] as number[], rgCpu: [] as number[] };
    let found = new Set<string>();
    let rgFiles = 0;
    for (let run = 0; run <= RUNS; run++) {
      const l = timed(process.execPath, lintArgs, root);
      found = importSites(JSON.parse(l.stdout) as LintJson);
      if (run > 0) times.lint.push(l.ms);
      if (run > 0) times.lintCpu.push(l.cpuMs);
      if (hasRg) {
        const r = timed('rg', rgArgs, root);
        rgFiles = r.stdout.split('\n').filter(Boolean).length;
        if (run > 0) times.rg.push(r.ms);
        if (run > 0) times.rgCpu.push(r.cpuMs);
      }
    }
    const hits = [...expected].filter((s) => found.has(s)).length;
    console.log(`lint-tree: ${SHAPE.files + 1} files, ${megabytes} MB, ${expected.size} import sites; handshake lint found ${hits}`
      + ` (recall ${(hits / expected.size).toFixed(3)}, ${found.size - hits} elsewhere)${hasRg ? `; rg -l matched ${rgFiles} files (comments included)` : ''}`);
    console.log(`handshake lint median ${median(times.lint).toFixed(0)} ms wall, ${median(times.lintCpu).toFixed(0)} ms CPU (process incl. node start-up)`);
    if (hasRg) {
      console.log(`rg -l median ${median(times.rg).toFixed(0)} ms wall, ${median(times.rgCpu).toFixed(0)} ms CPU`);
      console.log(`ratio lint-tree handshake-lint/rg-l: ${(median(times.lint) / median(times.rg)).toFixed(2)} (goal <= ${GOAL})`);
      if (hasTime) console.log(`ratio lint-tree handshake-lint/rg-l CPU: ${(median(times.lintCpu) / median(times.rgCpu)).toFixed(2)}`);
    } else {
      console.log('rg not installed (scripts/setup-tools.sh installs it): ratio skipped');
    }

    const rssBefore = process.memoryUsage().rss;
    let files = 0;
    const started = performance.now();
    for await (const reports of lint([root], loadRules(), { workspaceRoot: root })) files += reports.length;
    const ms = performance.now() - started;
    const peak = process.resourceUsage().maxRSS * 1024;
    console.log(`lint-tree memory: ${files} files in ${(ms / 1000).toFixed(1)} s in-process; peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (${(rssBefore / 2 ** 20).toFixed(0)} MiB before the walk)`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
