// Runner cost: CPU time per completed golden-path session of `handshake check` (tokens, sessions, the
// expectation matcher, the invariants, the JSON report) against a bare `ws` client doing the same exchange
// (bench/bare-golden-client.ts), against the same `handshake serve` in the same run. Rounds alternate which
// goes first; the ratio is the median over rounds. Goal: <= 1.3x.
import fs from 'node:fs';
import path from 'node:path';
import { CLI, runMeasured, startServe, workspace, type Usage } from './check-processes';

const USERS = 2_000;
const RAMP = '4s';
const ROUNDS = 5;
const GOAL = 1.3;
const BARE = path.resolve(__dirname, 'bare-golden-client.js');

interface Round { sessions: number; usage: Usage }

async function checkRound(url: string): Promise<Round> {
  const out = path.join(workspace, 'cost.json');
  const run = await runMeasured([CLI, 'check', '--preset', 'golden-path', '--users', String(USERS), '--ramp', RAMP, '--target', url, '--report', 'json', '--out', out]);
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { summary: { steps: Array<{ passed: number }> } };
  // A session completed when its last step (close) passed: every step before it did.
  return { sessions: report.summary.steps.at(-1)!.passed, usage: run.usage };
}

async function bareRound(url: string): Promise<Round> {
  const run = await runMeasured([BARE, url, String(USERS), String(parseFloat(RAMP) * 1000)]);
  return { sessions: (JSON.parse(run.stdout) as { completed: number }).completed, usage: run.usage };
}

const perSession = (r: Round) => r.usage.cpuMicros / r.sessions;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const serve = await startServe();
  const checks: Round[] = [];
  const bares: Round[] = [];
  try {
    // A warm-up of each first (the backend's JIT, the first connections), not counted.
    await checkRound(serve.wsUrl);
    await bareRound(serve.wsUrl);
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 0) {
        checks.push(await checkRound(serve.wsUrl));
        bares.push(await bareRound(serve.wsUrl));
      } else {
        bares.push(await bareRound(serve.wsUrl));
        checks.push(await checkRound(serve.wsUrl));
      }
    }
  } finally {
    await serve.stop();
  }
  const ratios = checks.map((c, r) => perSession(c) / perSession(bares[r]!));
  const ratio = median(ratios);
  const us = (rounds: Round[]) => `${median(rounds.map(perSession)).toFixed(0)}us`;
  const rss = (rounds: Round[]) => `${(median(rounds.map((r) => r.usage.maxRssKiB)) / 1024).toFixed(0)}MiB`;
  console.log(`ratio check-cost cpu-per-session check/bare-ws: ${ratio.toFixed(2)} (goal <= ${GOAL}) check=${us(checks)} bare=${us(bares)} per session;`
    + ` rounds ${ratios.map((r) => r.toFixed(2)).join('/')}; peak rss check=${rss(checks)} bare=${rss(bares)}; sessions completed check=${checks.map((c) => c.sessions).join('/')} bare=${bares.map((b) => b.sessions).join('/')} of ${USERS}`);
}

void main().catch((e: unknown) => {
  console.error(`check-cost bench failed: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
