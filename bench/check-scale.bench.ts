// Scale: `handshake check` running the golden path for 10,000 users at once against `handshake serve` (what
// `npm start` serves) on this machine. Every user connects (spread over the ramp), holds its connection
// until all are connected, then runs the five-event exchange and closes, so the peak really is 10,000 open
// sessions. Reported: sessions established (goal >= 99.9%), exact sequences, cross-user events (goal 0),
// the peak of open connections the backend saw, and CPU and peak memory of the checker and the backend.
// Each socket is an open file in each process: with `ulimit -n` too low for 10,000 the run takes the
// largest count that fits and says so (raise it with `ulimit -n 20000` before `npm run bench`).
import fs from 'node:fs';
import path from 'node:path';
import { GOLDEN_PATH_EXCHANGE, GREETING } from '../server/check/presets';
import { CLI, openFilesLimit, runMeasured, startServe, workspace } from './check-processes';

const GOAL_USERS = 10_000;
/** Files a process needs besides its sockets (stdio, the bundle, timers' handles, …). */
const SPARE_FILES = 200;
const RAMP_S = 30;
/** Longer than the ramp plus the slowest connect, so every user is connected before the first sends. */
const HOLD_S = RAMP_S + 15;
const GOAL_ESTABLISHED = 0.999;

interface Report {
  users: number;
  sessions: { established: number; failed: number };
  violationCount: number;
  durationMs: number;
  summary: { passed: number; failed: number; skipped: number; steps: Array<{ label: string; passed: number; p50?: number; p99?: number }>; failures: Array<{ step: string; reason: string; users: number }> };
}

async function main(): Promise<void> {
  const limit = openFilesLimit();
  const users = Math.min(GOAL_USERS, limit - SPARE_FILES);
  if (users < GOAL_USERS) console.log(`check-scale: ulimit -n is ${limit}: running ${users} users, not ${GOAL_USERS} (raise it with ulimit -n 20000)`);
  const scenario = path.join(workspace, 'golden-path-held.json');
  fs.writeFileSync(scenario, JSON.stringify({
    name: 'golden-path-held', users: { count: users, name: 'scale-{n}' }, timeout: '60s',
    steps: ['connect', GREETING, { wait: `${HOLD_S}s`, name: 'hold until every user is connected' }, GOLDEN_PATH_EXCHANGE, 'close'],
  }));
  const serve = await startServe();
  const out = path.join(workspace, 'scale.json');
  const run = await runMeasured([CLI, 'check', scenario, '--target', serve.wsUrl, '--ramp', `${RAMP_S}s`, '--report', 'json', '--out', out])
    .catch(async (e: unknown) => { await serve.stop(); throw e; });
  const backend = await serve.stop();
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as Report;
  const s = report.summary;
  const established = report.sessions.established / report.users;
  const exchange = s.steps.find((step) => step.label.endsWith('the five agent events'))!;
  const mib = (kib: number) => `${(kib / 1024).toFixed(0)}MiB`;
  console.log(`ratio check-scale sessions-established: ${established.toFixed(4)} (goal >= ${GOAL_ESTABLISHED}) ${report.sessions.established}/${report.users} users,`
    + ` peak ${serve.peakConnections()} open connections at the backend; exact sequences ${exchange.passed}/${report.users}; cross-user events ${report.violationCount} (goal 0);`
    + ` steps passed ${s.passed} failed ${s.failed} skipped ${s.skipped}; exit ${run.code}; ${(report.durationMs / 1000).toFixed(1)} s`);
  console.log(`ratio check-scale resources: checker cpu ${(run.usage.cpuMicros / 1e6).toFixed(1)} s (${(run.usage.cpuMicros / report.users).toFixed(0)} us/session), peak rss ${mib(run.usage.maxRssKiB)}`
    + ` (${(run.usage.maxRssKiB / report.users).toFixed(1)} KiB/session); backend cpu ${(backend.cpuMicros / 1e6).toFixed(1)} s, peak rss ${mib(backend.maxRssKiB)};`
    + ` exchange p50 ${exchange.p50} ms p99 ${exchange.p99} ms`);
  for (const f of s.failures.slice(0, 5)) console.log(`  failed: step ${f.step}, ${f.users} users: ${f.reason}`);
}

void main().catch((e: unknown) => {
  console.error(`check-scale bench failed: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
