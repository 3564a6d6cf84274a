// One request/answer exchange over an open session: send a message, follow the events of the run it
// starts, and decide whether the expected sequence came in order. The CLI's `send` prints what this
// reports; the message panel shows the same verdicts.
import { ERROR_EVENTS, RATE_LIMIT_EVENT } from '../../$shared/wire';
import type { ReceivedEvent } from './envelope';
import { describeClose } from './failure';
import { checkSequence, describeExpectation, SequenceMatcher, type Bindings, type Expectation, type SequenceCheck } from './sequence';
import type { Session } from './session';

export interface ExchangeOptions {
  session: Session;
  /** What to send (a string goes as it is); none: wait for events already on their way (after a connect). */
  message?: Record<string, unknown> | string;
  /** Events that must arrive in this order (others may interleave); default: the run's completion or the pong. */
  expected?: Expectation[];
  /** The session's events, when the caller runs several exchanges over one session (default: a fresh iterator). */
  events?: AsyncIterator<ReceivedEvent>;
  /** Values for `${name}` in the expectations besides `${run_id}` (a scenario's user). */
  bindings?: Bindings;
  timeoutMs: number;
  /** When the time budget began (performance.now()), when it includes opening the session; default now. */
  startedAt?: number;
  /** Every event as it arrives; `counted` is false for events of another run of the same user. */
  onEvent?(event: ReceivedEvent, counted: boolean): void;
}

export interface ExchangeResult {
  ok: boolean;
  /** Why it passed or failed, in one sentence. */
  reason: string;
  /** Types of the counted events in arrival order. */
  received: string[];
}

/** What a message is answered with when the caller names no sequence. */
const DEFAULT_EXPECTATION: Record<string, Expectation[]> = {
  start_agent: ['agent_completed'], user_message: ['agent_completed'], ping: ['pong'],
};

/** Events after which the run (or the handling of the message) is over. */
const RUN_ENDS = new Set<string>(['agent_completed', ...ERROR_EVENTS, RATE_LIMIT_EVENT]);

/** After the run ended short of the sequence, trailing events (an agent_error after a tool_error) may still come. */
const TRAILING_EVENTS_MS = 300;

export async function runExchange(opts: ExchangeOptions): Promise<ExchangeResult> {
  const message = typeof opts.message === 'object' ? opts.message : {};
  const expected = opts.expected ?? DEFAULT_EXPECTATION[String(message.type)] ?? [];
  const received: ReceivedEvent[] = [];
  let runId = typeof message.run_id === 'string' ? message.run_id : undefined;
  const bindings: Record<string, string | undefined> = { ...opts.bindings, run_id: runId };
  const matcher = new SequenceMatcher(expected);
  let runEnd: ReceivedEvent | undefined;
  let deadline = (opts.startedAt ?? performance.now()) + opts.timeoutMs;
  const events = opts.events ?? opts.session.events[Symbol.asyncIterator]();
  if (opts.message !== undefined) opts.session.send(opts.message);

  const verdict = (stop: Stop): ExchangeResult => ({
    ...judge(stop, checkSequence(received, expected, bindings), expected, runEnd, opts.expected !== undefined), received: received.map((e) => e.type),
  });

  for (;;) {
    const next = await nextBefore(events, deadline);
    if (next === 'deadline') {
      return verdict(runEnd ? { kind: 'finished' } : { kind: 'timeout', after: seconds(opts.timeoutMs) });
    }
    if (next.done) {
      const close = await opts.session.closed;
      return verdict({ kind: 'closed', how: describeClose(close.code, close.reason) });
    }
    const event = next.value;
    // Events of another run of the same user (another tab) are shown but do not count.
    const counted = !event.run_id || !runId || event.run_id === runId;
    opts.onEvent?.(event, counted);
    if (!counted) continue;
    if (!runId && event.type === 'agent_started' && event.run_id) bindings.run_id = runId = event.run_id;
    received.push(event);
    if (expected.length > 0 && matcher.feed(event, bindings)) return verdict({ kind: 'finished' });
    if (RUN_ENDS.has(event.type) && !runEnd) {
      runEnd = event;
      if (!opts.expected) return verdict({ kind: 'finished' });
      deadline = Math.min(deadline, performance.now() + TRAILING_EVENTS_MS);
    }
  }
}

/** Why the exchange stopped: by itself (the sequence is complete or the run is over), at the deadline, or on close. */
type Stop = { kind: 'finished' } | { kind: 'timeout'; after: string } | { kind: 'closed'; how: string };

/** Pass or fail, and the one sentence saying why. */
function judge(stop: Stop, check: SequenceCheck, expected: Expectation[], runEnd: ReceivedEvent | undefined, explicit: boolean): { ok: boolean; reason: string } {
  // A validation_error or rate_limit_exceeded answers the message itself: there is no run to speak of.
  const failedRun = runEnd && runEnd.type !== 'agent_completed'
    ? `${runEnd.run_id ? 'the run ended with' : 'the server answered with'} ${runEnd.type}: ${String(runEnd.data.message ?? '')}` : undefined;
  // Without an explicit sequence an error event is the failure; with one, the sequence alone decides.
  if (failedRun && !explicit) return { ok: false, reason: failedRun };
  if (check.ok && stop.kind === 'finished') {
    return { ok: true, reason: expected.length ? `expected events arrived in order: ${expected.map(describeExpectation).join(' -> ')}` : `the exchange ended with ${runEnd?.type}` };
  }
  const missing = check.ok ? 'the end of the run' : check.missing.join(', ');
  const order = !check.ok && check.reason.endsWith('(out of order)') ? `; ${check.reason}` : '';
  switch (stop.kind) {
    case 'timeout': return { ok: false, reason: `timed out after ${stop.after} still waiting for ${missing}${order}` };
    case 'closed': return { ok: false, reason: `connection closed ${stop.how} while still waiting for ${missing}${order}` };
    case 'finished': return { ok: false, reason: `${check.ok ? '' : check.reason}${failedRun ? ` (${failedRun})` : ''}` };
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A next() still pending when its caller's deadline passed: the next caller gets it, so no event is lost. */
const pendingNext = new WeakMap<AsyncIterator<unknown>, Promise<IteratorResult<unknown>>>();

/** The iterator's next item, or 'deadline' when none came by then (performance.now() time). */
export async function nextBefore<T>(events: AsyncIterator<T>, deadline: number): Promise<IteratorResult<T> | 'deadline'> {
  const next = (pendingNext.get(events) ?? events.next()) as Promise<IteratorResult<T>>;
  pendingNext.set(events, next);
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<'deadline'>((resolve) => { timer = setTimeout(() => resolve('deadline'), Math.max(0, deadline - performance.now())); });
  try {
    const result = await Promise.race([next, expiry]);
    if (result !== 'deadline') pendingNext.delete(events);
    return result;
  } finally {
    clearTimeout(timer);
  }
}
