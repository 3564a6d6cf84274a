// `handshake lint` over a generated Python tree (3,000 modules, 3% of them importing the deprecated notifier
// in assorted forms) vs `rg -l` for the same module names over the same tree: both as processes, warm (one
// untimed run each first), alternating, median of 5. Then the memory bound: an in-process lint of 10,000
// files, printing the peak resident set size.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lint } from '../server/diagnostics/lint';
import { loadRules } from '../server/diagnostics/rules';

const FILES = 3_000;
const MEMORY_FILES = 10_000;
const DEPRECATED_EVERY = 33; // ~3%
const RUNS = 5;
const GOAL = 3;
const MODULES = loadRules().rules[0]!.modules;
const cli = path.resolve(__dirname, '../../dist/cli.js');

const DEPRECATED_FORMS = [
  'from netra_backend.app.services.websocket_notifier import WebSocketNotifier',
  'from ..services.websocket_notifier import WebSocketNotifier',
  'import netra_backend.app.websocket_core.websocket_notifier as WebSocketNotifierModule\nWebSocketNotifier = WebSocketNotifierModule.WebSocketNotifier',
  'from netra_backend.app.agents.supervisor.websocket_notifier import WebSocketNotifier as WebSocketNotifier',
];

/** A plausible service module of ~80 lines; every 33rd one uses the old notifier. */
function moduleText(i: number): string {
  const deprecated = i % DEPRECATED_EVERY === 0;
  const lines = [
    // Every 20th module mentions the old module in its docstring (as the real codebase's comments do).
    i % 20 === 1 ? `"""Service module ${i}: no longer uses websocket_notifier."""` : `"""Service module ${i}: handles agent runs."""`,
    'import asyncio', 'import logging', 'from typing import Any, Optional', '',
    deprecated ? DEPRECATED_FORMS[i % DEPRECATED_FORMS.length]! : 'from netra_backend.app.services.agent_websocket_bridge import AgentWebSocketBridge',
    '', 'logger = logging.getLogger(__name__)', '', '',
    `class Handler${i}:`,
    `    """Runs step ${i}."""`, '',
    '    def __init__(self, ws_manager: Any) -> None:',
    deprecated ? '        self.notifier = WebSocketNotifier(ws_manager)' : '        self.bridge = AgentWebSocketBridge()',
    '        self.calls = 0', '',
  ];
  for (let m = 0; m < 12; m++) {
    lines.push(`    async def step_${m}(self, context: Any, payload: Optional[dict] = None) -> dict:`,
      `        # step ${m}: validate, compute, notify`,
      '        self.calls += 1',
      `        result = {"step": ${m}, "payload": payload or {}, "calls": self.calls}`,
      deprecated && m % 4 === 0 ? '        await self.notifier.send_agent_started(context)' : '        logger.debug("step done %s", result)',
      '        return result', '');
  }
  return `${lines.join('\n')}\n`;
}

function generate(root: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, 'netra_backend', 'app', `pkg_${Math.floor(i / 100)}`);
    if (i % 100 === 0) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `module_${i}.py`), moduleText(i));
  }
}

const TIME = '/usr/bin/time';
const hasTime = fs.existsSync(TIME);

/** Wall time, and CPU time (user + system, from /usr/bin/time when present: steadier on a shared machine). */
function timed(command: string, args: string[], cwd: string): { ms: number; cpuMs: number; stdout: string } {
  const [file, argv] = hasTime ? [TIME, ['-f', '%U %S', command, ...args]] : [command, args];
  const started = performance.now();
  const run = spawnSync(file, argv, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (run.error) throw run.error;
  const [user, system] = (run.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { ms, cpuMs: hasTime ? ((user ?? 0) + (system ?? 0)) * 1000 : Number.NaN, stdout: run.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'handshake-lint-bench-'));
  try {
    generate(root, FILES);
    const hasRg = spawnSync('rg', ['--version']).status === 0;
    const lintArgs = [cli, 'lint', '--format', 'json', '.'];
    const rgArgs = ['-l', '-F', ...MODULES.flatMap((m) => ['-e', m]), '.'];
    const lintTimes: number[] = [];
    const rgTimes: number[] = [];
    const lintCpu: number[] = [];
    const rgCpu: number[] = [];
    let flagged = 0;
    let rgFiles = 0;
    for (let run = 0; run <= RUNS; run++) {
      const l = timed(process.execPath, lintArgs, root);
      flagged = (JSON.parse(l.stdout) as { summary: { filesWithFindings: number } }).summary.filesWithFindings;
      if (run > 0) lintTimes.push(l.ms);
      if (run > 0) lintCpu.push(l.cpuMs);
      if (hasRg) {
        const r = timed('rg', rgArgs, root);
        rgFiles = r.stdout.split('\n').filter(Boolean).length;
        if (run > 0) rgTimes.push(r.ms);
        if (run > 0) rgCpu.push(r.cpuMs);
      }
    }
    const expected = Math.ceil(FILES / DEPRECATED_EVERY);
    console.log(`lint-tree: ${FILES} files, ${expected} with deprecated uses; handshake lint flagged ${flagged} files${hasRg ? `, rg -l matched ${rgFiles} (absolute module paths only)` : ''}`);
    console.log(`handshake lint median ${median(lintTimes).toFixed(0)} ms wall, ${median(lintCpu).toFixed(0)} ms CPU (process incl. node start-up)`);
    if (hasRg) {
      console.log(`rg -l median ${median(rgTimes).toFixed(0)} ms wall, ${median(rgCpu).toFixed(0)} ms CPU`);
      console.log(`ratio lint-tree handshake-lint/rg-l: ${(median(lintTimes) / median(rgTimes)).toFixed(2)} (goal <= ${GOAL})`);
      if (hasTime) console.log(`ratio lint-tree handshake-lint/rg-l CPU: ${(median(lintCpu) / median(rgCpu)).toFixed(2)} (goal <= ${GOAL})`);
    } else {
      console.log('rg not installed (scripts/setup-tools.sh installs it): ratio skipped');
    }
    fs.rmSync(root, { recursive: true, force: true });

    fs.mkdirSync(root, { recursive: true });
    generate(root, MEMORY_FILES);
    const rssBefore = process.memoryUsage().rss;
    let files = 0;
    const started = performance.now();
    for await (const report of lint([root], loadRules(), { workspaceRoot: root })) files += report.path ? 1 : 0;
    const ms = performance.now() - started;
    const peak = process.resourceUsage().maxRSS * 1024;
    console.log(`lint-tree memory: ${files} files in ${(ms / 1000).toFixed(1)} s; peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (${(rssBefore / 2 ** 20).toFixed(0)} MiB before the walk)`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
