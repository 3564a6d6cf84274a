// Runs a scenario for many users at once: picks this shard's users, starts them spread over the ramp with
// at most `concurrency` running, and gathers their cases, sessions and the invariants into one report.
import type { ConnectionEvents } from '../inspector/events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuthMode } from '../wsclient/failure';
import { Invariants } from './invariants';
import type { CaseResult, CheckReport } from './report';
import { userNames, type Scenario } from './scenario';
import type { TokenIssuer } from './tokens';
import { runUser } from './user-run';

export interface Shard { index: number; count: number }

export interface RunOptions {
  scenario: Scenario;
  url: string;
  auth: AuthMode;
  tokens: TokenIssuer;
  /** --users: replaces the scenario's count. */
  users?: number;
  /** Users running at the same time (default: all of them). */
  concurrency?: number;
  /** Spread the users' starts evenly over this long. */
  rampMs?: number;
  shard?: Shard;
  /** Counts as they change, for a progress line. */
  progress?: Progress;
  /** Record every session here (a running daemon's recorder). */
  record?: ConnectionEvents;
}

export class Progress {
  users = 0;
  usersDone = 0;
  usersFailed = 0;
  passed = 0;
  failed = 0;
}

/** Users 1..N go round-robin to the shards: shard K of N takes every Nth, starting at the Kth. */
export function shardUsers(all: string[], shard?: Shard): Array<{ name: string; n: number }> {
  const numbered = all.map((name, i) => ({ name, n: i + 1 }));
  return shard ? numbered.filter((u) => (u.n - 1) % shard.count === shard.index - 1) : numbered;
}

export async function runScenario(opts: RunOptions): Promise<CheckReport> {
  const { scenario } = opts;
  const users = shardUsers(userNames(scenario.users, opts.users), opts.shard);
  const progress = opts.progress ?? new Progress();
  progress.users = users.length;
  const invariants = new Invariants(scenario.invariants);
  const cases: CaseResult[] = [];
  const sessions = { established: 0, failed: 0 };
  const startedAt = new Date();
  const started = performance.now();
  const context = {
    steps: scenario.steps, url: opts.url, auth: opts.auth, tokens: opts.tokens, invariants, ...(opts.record ? { record: opts.record } : {}),
    onCase: (c: CaseResult) => {
      cases.push(c);
      if (c.status === 'passed') progress.passed++;
      if (c.status === 'failed') progress.failed++;
    },
    onSession: (ok: boolean) => { if (ok) sessions.established++; else sessions.failed++; },
  };

  const rampMs = opts.rampMs ?? 0;
  let next = 0;
  // A pool of workers taking the next user in turn: at most `concurrency` users run at once.
  async function worker(): Promise<void> {
    while (next < users.length) {
      const index = next++;
      const user = users[index]!;
      const startAt = started + (rampMs * index) / users.length;
      if (startAt > performance.now()) await sleep(startAt - performance.now());
      const ok = await runUser(context, user.name, user.n);
      progress.usersDone++;
      if (!ok) progress.usersFailed++;
    }
  }
  const workers = Math.max(1, Math.min(opts.concurrency ?? users.length, users.length));
  await Promise.all(Array.from({ length: workers }, worker));
  invariants.finish();

  // Cases arrive as users finish; the report lists them by user (in shard order), then step.
  const order = new Map(users.map((u, i) => [u.name, i]));
  cases.sort((a, b) => order.get(a.user)! - order.get(b.user)! || a.step - b.step);
  return {
    format: 'handshake-check/1', scenario: scenario.name, target: opts.url,
    ...(opts.shard ? { shard: `${opts.shard.index}/${opts.shard.count}` } : {}),
    startedAt: startedAt.toISOString(), durationMs: Math.round(performance.now() - started),
    steps: scenario.steps.map((s) => s.label), users: users.length, sessions, cases,
    violations: invariants.violations, violationCount: invariants.count,
  };
}
