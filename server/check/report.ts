// What a check run found, as data: one case per user and step, the sessions, the invariant violations. The
// JSON report is this plus its summary (counts, p50/p95/p99 per step); the text and JUnit reports are read
// from it; shards' JSON reports merge back into one by concatenating their cases.
import type { Violation } from './invariants';

export type CaseStatus = 'passed' | 'failed' | 'skipped';

export interface CaseResult {
  user: string;
  /** Index into CheckReport.steps. */
  step: number;
  status: CaseStatus;
  /** How long the step took; absent for skipped steps. */
  ms?: number;
  failure?: { reason: string; frames: string[] };
}

export interface CheckReport {
  format: 'handshake-check/1';
  scenario: string;
  target: string;
  /** "K/N" when this run was one shard of a split run. */
  shard?: string;
  startedAt: string;
  durationMs: number;
  /** Step labels, in order. */
  steps: string[];
  users: number;
  sessions: { established: number; failed: number };
  cases: CaseResult[];
  violations: Violation[];
  violationCount: number;
}

export interface StepSummary {
  label: string;
  passed: number;
  failed: number;
  skipped: number;
  p50?: number;
  p95?: number;
  p99?: number;
}

/** The first failure of each kind (the same step failing the same way), with how many users it hit. */
export interface FailureKind { step: string; user: string; reason: string; frames: string[]; users: number }

export interface Summary {
  ok: boolean;
  steps: StepSummary[];
  passed: number;
  failed: number;
  skipped: number;
  failures: FailureKind[];
}

export function summarise(report: CheckReport): Summary {
  const steps = report.steps.map((label): StepSummary & { times: number[] } => ({ label, passed: 0, failed: 0, skipped: 0, times: [] }));
  const kinds = new Map<string, FailureKind>();
  for (const c of report.cases) {
    const s = steps[c.step]!;
    s[c.status]++;
    if (c.ms !== undefined && c.status === 'passed') s.times.push(c.ms);
    if (c.failure) {
      const key = `${c.step}\u0000${kindOf(c.failure.reason, c.user)}`;
      const known = kinds.get(key);
      if (known) known.users++;
      else kinds.set(key, { step: s.label, user: c.user, reason: c.failure.reason, frames: c.failure.frames, users: 1 });
    }
  }
  const summaries = steps.map(({ times, ...s }) => ({ ...s, ...percentiles(times) }));
  const total = (k: CaseStatus) => summaries.reduce((n, s) => n + s[k], 0);
  const failed = total('failed');
  return { ok: failed === 0 && report.violationCount === 0, steps: summaries, passed: total('passed'), failed, skipped: total('skipped'), failures: [...kinds.values()] };
}

/** A reason with what differs from user to user (names, ids, numbers) taken out. */
function kindOf(reason: string, user: string): string {
  return reason.split(user).join('<user>').replace(/\b(run|thread|conn)_[\w-]+/g, '<id>').replace(/\d+/g, 'N');
}

function percentiles(times: number[]): Pick<StepSummary, 'p50' | 'p95' | 'p99'> {
  if (times.length === 0) return {};
  const sorted = Float64Array.from(times).sort();
  // Nearest rank: the smallest time at or under which p% of the steps finished.
  const at = (p: number) => Math.round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
  return { p50: at(50), p95: at(95), p99: at(99) };
}

/** One report of several shards' (or runs') reports of the same scenario; a user in two of them is a mistake. */
export function mergeReports(reports: CheckReport[]): CheckReport {
  const [first] = reports;
  if (!first) throw new Error('nothing to merge');
  const seen = new Set<string>();
  for (const r of reports) {
    if (r.scenario !== first.scenario || r.steps.join('\n') !== first.steps.join('\n')) {
      throw new Error(`cannot merge reports of different scenarios (${first.scenario} and ${r.scenario})`);
    }
    for (const c of r.cases) {
      if (c.step !== 0) continue;
      if (seen.has(c.user)) throw new Error(`user ${c.user} is in two of the reports (the same shard twice?)`);
      seen.add(c.user);
    }
  }
  const sum = (f: (r: CheckReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  return {
    format: first.format, scenario: first.scenario, target: first.target, startedAt: reports.map((r) => r.startedAt).sort()[0]!,
    durationMs: Math.max(...reports.map((r) => r.durationMs)), steps: first.steps, users: sum((r) => r.users),
    sessions: { established: sum((r) => r.sessions.established), failed: sum((r) => r.sessions.failed) },
    cases: reports.flatMap((r) => r.cases), violations: reports.flatMap((r) => r.violations), violationCount: sum((r) => r.violationCount),
  };
}

/** A JSON report as written by `check --report json`, read back for --merge. */
export function parseReport(text: string, file: string): CheckReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not JSON: ${(e as Error).message}`);
  }
  const r = value as Partial<CheckReport>;
  if (r.format !== 'handshake-check/1' || !Array.isArray(r.cases) || !Array.isArray(r.steps)) {
    throw new Error(`${file} is not a JSON report of handshake check (write one with --report json)`);
  }
  return r as CheckReport;
}
