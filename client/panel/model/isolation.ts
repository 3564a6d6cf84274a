// The two-user isolation check: user A starts a run; once it is over, nothing of it (its run id, or an event
// addressed to A) may have reached user B's connection. SPEC section 3: events of a run go only to the
// connections of the user who started it.
import type { TimelineRow } from './timeline';

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
