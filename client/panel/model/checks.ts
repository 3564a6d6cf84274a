// The panel's two checks. The expected sequence: each expected event ✓ with its time after the send, or ✗
// once the run is over without it; the verdict is `handshake send --expect`'s own (server/wsclient/sequence.ts,
// a pure module the page bundles too), and the expectation is written in its format: "a,b,c" or the JSON array
// of schemas/expectation.schema.json. Isolation: user
// A starts a run; once it is over, nothing of it (its run id, or an event addressed to A) may have reached user
// B's connection (SPEC section 3: a run's events go only to the connections of the user who started it).
import { ERROR_EVENTS, RATE_LIMIT_EVENT } from '../../../$shared/wire';
import { checkSequence, describeExpectation, mismatch, type EventLike, type Expectation } from '../../../server/wsclient/sequence';
import type { TimelineRow } from './timeline';

export type StepStatus = 'passed' | 'failed' | 'waiting';

export interface ExpectStep { type: string; status: StepStatus; afterMs?: number }

export interface ExpectationCheck {
  steps: ExpectStep[];
  verdict: StepStatus;
  reason: string;
}

/** Events after which nothing more of the run will come. */
const RUN_ENDS = new Set<string>(['agent_completed', ...ERROR_EVENTS, RATE_LIMIT_EVENT]);

/**
 * The expectation as `--expect` takes it: `a,b,c`, or a JSON array of types and `{type, fields}` (the page has
 * no ajv under its CSP: a structural check here; the saved-messages file is checked against the schema).
 */
export function parseExpect(text: string): { expected: Expectation[]; error?: string } {
  if (!text.trim()) return { expected: [] };
  if (!text.trim().startsWith('[')) {
    const names = text.split(',').map((n) => n.trim());
    return names.includes('') ? { expected: [], error: 'an empty event name (use a,b,c)' } : { expected: names };
  }
  try {
    const value: unknown = JSON.parse(text);
    const valid = Array.isArray(value) && value.every((e) => typeof e === 'string'
      || (typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string'));
    return valid ? { expected: value as Expectation[] } : { expected: [], error: 'a JSON array of event types or {"type", "fields"} objects' };
  } catch (e) {
    return { expected: [], error: `not a JSON array: ${(e as Error).message}` };
  }
}

/** `a,b,c` when every expectation is a bare type, else the JSON array. */
export function formatExpect(expected: Expectation[]): string {
  return expected.every((e) => typeof e === 'string') ? expected.join(',') : JSON.stringify(expected);
}

/**
 * Judges the events received since the send (`sentAt`) against the expectations, with `${run_id}` bound to the
 * run that answered. `closed`: the connection ended, so whatever has not come will not. In order, others may
 * interleave (a subsequence).
 */
export function checkExpectation(expected: Expectation[], rows: TimelineRow[], sentAt: number, closed = false): ExpectationCheck {
  const received = rows.filter((r) => r.from === 'server' && r.at >= sentAt);
  const events = received.map((r) => r.value as EventLike);
  const bindings = { run_id: received.find((r) => r.runId)?.runId };
  const over = closed || received.some((r) => RUN_ENDS.has(r.type));
  let position = 0;
  const steps: ExpectStep[] = expected.map((e) => {
    const found = events.findIndex((event, i) => i >= position && !mismatch(event, e, bindings));
    if (found < 0) return { type: describeExpectation(e), status: over ? 'failed' : 'waiting' };
    position = found + 1;
    return { type: describeExpectation(e), status: 'passed', afterMs: (received[found] as TimelineRow).at - sentAt };
  });
  const check = checkSequence(events, expected, bindings);
  if (check.ok) return { steps, verdict: 'passed', reason: `expected events arrived in order: ${expected.map(describeExpectation).join(' -> ')}` };
  return { steps, verdict: over ? 'failed' : 'waiting', reason: over ? check.reason : `waiting for ${check.missing.join(', ')}` };
}

/** The same exchange as a CLI line, to paste into a terminal or CI (the token is minted there too). */
export function cliCommand(target: string, user: string, auth: string, message: unknown, expected: Expectation[]): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return ['npx handshake send', `--url ${quote(target)}`, `--user ${quote(user)}`, `--auth ${auth}`, `--message ${quote(JSON.stringify(message))}`,
    ...(expected.length ? [`--expect ${quote(formatExpect(expected))}`] : [])].join(' ');
}

export interface IsolationVerdict {
  status: 'passed' | 'failed' | 'waiting';
  reason: string;
  /** B's rows that belong to A's run or to A. */
  leaks: TimelineRow[];
}

export function checkIsolation(a: { user: string; rows: TimelineRow[] }, b: { user: string; rows: TimelineRow[] }, since: number): IsolationVerdict {
  const aRun = a.rows.filter((r) => r.from === 'server' && r.at >= since && r.runId);
  const runId = aRun[0]?.runId;
  const runOver = aRun.some((r) => r.type === 'agent_completed' || r.type.endsWith('_error'));
  const leaks = b.rows.filter((r) => r.from === 'server' && r.at >= since && ((runId && r.runId === runId) || r.userId === a.user));
  if (leaks.length) {
    return { status: 'failed', reason: `${b.user} received ${leaks.length} event(s) of ${a.user}'s run: ${leaks.map((l) => l.type).join(', ')}`, leaks };
  }
  if (!runId || !runOver) return { status: 'waiting', reason: `waiting for ${a.user}'s run to finish`, leaks };
  return { status: 'passed', reason: `${a.user}'s run ${runId} (${aRun.length} events) reached ${a.user} only; ${b.user} received none of it`, leaks };
}
