// The panel's expected-sequence check: each expected event ✓ with its time after the send, or ✗ once the run
// is over without it. The verdict is `handshake send --expect`'s own (server/wsclient/sequence.ts, a pure
// module the page bundles too), and the expectation is written in its format: "a,b,c".
import { ERROR_EVENTS, RATE_LIMIT_EVENT } from '../../../$shared/wire';
import { checkSequence } from '../../../server/wsclient/sequence';
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

/** "agent_started, agent_thinking" or "a,b,c" as the list `--expect` takes (empty names dropped). */
export function parseExpect(text: string): string[] {
  return text.split(',').map((n) => n.trim()).filter(Boolean);
}

export function formatExpect(expected: string[]): string {
  return expected.join(',');
}

/**
 * Judges the rows received since the send (`sentAt`) against the expected types. `closed`: the connection
 * ended, so whatever has not come will not. Matching is in order, others may interleave (a subsequence).
 */
export function checkExpectation(expected: string[], rows: TimelineRow[], sentAt: number, closed = false): ExpectationCheck {
  const received = rows.filter((r) => r.from === 'server' && r.at >= sentAt);
  const types = received.map((r) => r.type);
  const over = closed || types.some((t) => RUN_ENDS.has(t));
  let position = 0;
  const steps: ExpectStep[] = expected.map((type) => {
    const found = types.indexOf(type, position);
    if (found < 0) return { type, status: over ? 'failed' : 'waiting' };
    position = found + 1;
    return { type, status: 'passed', afterMs: (received[found] as TimelineRow).at - sentAt };
  });
  const check = checkSequence(types, expected);
  if (check.ok) return { steps, verdict: 'passed', reason: `expected events arrived in order: ${expected.join(' -> ')}` };
  return { steps, verdict: over ? 'failed' : 'waiting', reason: over ? check.reason : `waiting for ${check.missing.join(', ')}` };
}

/** The same exchange as a CLI line, to paste into a terminal or CI (the token is minted there too). */
export function cliCommand(target: string, user: string, auth: string, message: unknown, expected: string[]): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return ['npx handshake send', `--url ${quote(target)}`, `--user ${quote(user)}`, `--auth ${auth}`, `--message ${quote(JSON.stringify(message))}`,
    ...(expected.length ? [`--expect ${formatExpect(expected)}`] : [])].join(' ');
}
