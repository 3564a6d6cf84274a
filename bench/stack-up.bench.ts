// Fixture stack start to all-ready through Handshake vs the usual by hand, `docker-compose up -d` then
// polling `docker inspect` until every service is healthy (the job exited 0), on the same stack in the same
// run, alternating, with `down` between. Handshake is measured twice: the orchestrator's up() as the daemon
// and extension call it (goal: ratio <= 1.1), and the `handshake up` CLI, whose figure adds Node loading
// the CLI bundle.
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../server/config/config';
import { loadComposeProject } from '../server/stack/compose';
import { up } from '../server/stack/orchestrator';
import { fixtureStack, type FixtureStack } from '../test/fixtures/stack/fixture';

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '../..', 'dist/cli.js');
const ROUNDS = 3;
/** No new round starts after this long: the benchmark stays bounded on a busy machine. */
const BUDGET_MS = 40_000;
const GOAL = 1.1;
const TIMEOUT_MS = 60_000;

/** Handshake's engine: load the compose project, start it, return when every service has settled. */
async function orchestratorUp(stack: FixtureStack): Promise<number> {
  const began = performance.now();
  const project = loadComposeProject(stack.dir, loadConfig(stack.dir, stack.env), stack.env);
  const result = await up(project, [], { env: stack.env, timeoutMs: TIMEOUT_MS });
  if (!result.ok) throw new Error(`up failed: ${result.failure?.service}: ${result.failure?.reason}`);
  return performance.now() - began;
}

/** Handshake's CLI: one command that returns when the stack is ready. */
async function cliUp(stack: FixtureStack): Promise<number> {
  const began = performance.now();
  await run(process.execPath, [CLI, 'up'], { cwd: stack.dir, env: stack.env, timeout: TIMEOUT_MS });
  return performance.now() - began;
}

/** By hand: compose up -d, then docker inspect in a loop (as fast as it answers) until all are ready. */
async function composeUpAndPoll(stack: FixtureStack): Promise<number> {
  const began = performance.now();
  await stack.compose('up', '-d');
  const ids = (await stack.compose('ps', '-q')).stdout.trim().split('\n');
  for (;;) {
    const { stdout } = await run('docker', ['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{if .State.Health}}{{.State.Health.Status}}{{end}}', ...ids]);
    const ready = stdout.trim().split('\n').every((line) => {
      const [status, code, health] = line.split(' ');
      return status === 'exited' ? code === '0' : status === 'running' && (health === undefined || health === '' || health === 'healthy');
    });
    if (ready) return performance.now() - began;
    if (performance.now() - began > TIMEOUT_MS) throw new Error(`stack not ready after ${TIMEOUT_MS} ms: ${stdout}`);
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] as number : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

type Way = 'orchestrator' | 'cli' | 'compose';
const WAYS: Record<Way, (stack: FixtureStack) => Promise<number>> = { orchestrator: orchestratorUp, cli: cliUp, compose: composeUpAndPoll };

async function main(): Promise<void> {
  const stack = await fixtureStack('bench-up');
  const times: Record<Way, number[]> = { orchestrator: [], cli: [], compose: [] };
  const began = performance.now();
  try {
    // The compared pair alternates (which goes first flips each round, against a busy machine's drift);
    // the CLI runs once, for its figure.
    for (let r = 0; r < ROUNDS && performance.now() - began < BUDGET_MS; r++) {
      const ways: Way[] = r % 2 === 0 ? ['orchestrator', 'compose'] : ['compose', 'orchestrator'];
      if (r === 0) ways.push('cli');
      for (const way of ways) {
        times[way].push(await WAYS[way](stack));
        await stack.down();
      }
    }
  } finally {
    await stack.down();
  }
  const fmt = (v: number[]) => v.map((x) => (x / 1000).toFixed(2)).join(' ');
  console.log(`stack up to all-ready (s), load average ${os.loadavg()[0]?.toFixed(1)}: handshake up() ${fmt(times.orchestrator)}; ` +
    `handshake up CLI ${fmt(times.cli)}; docker-compose up -d + inspect polling ${fmt(times.compose)}`);
  const c = median(times.compose);
  for (const way of ['orchestrator', 'cli'] as const) {
    const h = median(times[way]);
    console.log(`ratio stack-up ${way === 'cli' ? 'handshake-cli' : 'handshake'}/compose+poll: ${(h / c).toFixed(2)} (${way === 'cli' ? 'one run, includes Node loading the CLI; ' : ''}goal <= ${GOAL}; medians ${(h / 1000).toFixed(2)} s vs ${(c / 1000).toFixed(2)} s)`);
  }
}

void main().catch((e) => {
  console.error(`stack-up: ${(e as Error).message}`);
  process.exitCode = 1;
});
