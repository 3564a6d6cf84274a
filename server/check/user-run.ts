// One user of a scenario: runs the steps in order over real sessions (wsclient, the same client `send` uses),
// feeds every event received to the run-wide invariants, and reports a case per step. The first failing step
// ends the user's run (the rest are skipped): later steps would only fail because of it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReceivedEvent } from '../wsclient/envelope';
import { nextBefore, runExchange } from '../wsclient/exchange';
import { explainFailure, type AuthMode } from '../wsclient/failure';
import { openSession, type Session } from '../wsclient/session';
import type { ConnectionEvents } from '../inspector/events';
import type { Invariants } from './invariants';
import type { CaseResult } from './report';
import { substitute, type ReconnectPolicy, type Step, type UserVars } from './scenario';
import type { TokenIssuer } from './tokens';

export interface UserRunContext {
  steps: Step[];
  url: string;
  auth: AuthMode;
  tokens: TokenIssuer;
  invariants: Invariants;
  onCase(result: CaseResult): void;
  onSession(established: boolean): void;
  /** Where the sessions are recorded (a running daemon's recorder), if anywhere. */
  record?: ConnectionEvents;
}

/** Frames kept per user to show what led to a failure. */
const FRAMES_KEPT = 8;
/** How long events still buffered after a close are read for the invariants. */
const DRAIN_MS = 2_000;

type Outcome = { ok: true } | { ok: false; reason: string };

/** Resolves true when every step passed. */
export async function runUser(ctx: UserRunContext, user: string, n: number): Promise<boolean> {
  const vars: UserVars = { user, n };
  // Frames are kept as they are and put in words only when a step fails: most runs never need them.
  const frames: Frame[] = [];
  let token: string | undefined;
  let session: Session | undefined;
  let events: AsyncIterator<ReceivedEvent> | undefined;
  let completed = new Set<string>();

  const note = (line: Frame) => {
    if (frames.length === FRAMES_KEPT) frames.shift();
    frames.push(line);
  };
  const observe = (event: ReceivedEvent) => {
    note(event);
    ctx.invariants.see(user, vars.userId ?? user, completed, event);
  };

  async function connect(timeoutMs: number, freshToken: boolean): Promise<Outcome> {
    if (!token || freshToken) {
      const issued = await ctx.tokens(vars);
      if (!issued.ok) return issued;
      token = issued.token;
      vars.userId = issued.subject ?? user;
      ctx.invariants.knowAs(user, vars.userId);
    }
    const opened = await openSession({ url: ctx.url, token, auth: ctx.auth, timeoutMs,
      ...(ctx.record ? { record: { events: ctx.record, via: 'check', userId: vars.userId ?? user } } : {}) });
    ctx.onSession(opened.ok);
    if (!opened.ok) return { ok: false, reason: explainFailure(opened.failure) };
    session = opened.session;
    events = session.events[Symbol.asyncIterator]();
    completed = new Set();
    note(`connected to ${ctx.url}`);
    return { ok: true };
  }

  /** Closes (or drops) the session and reads what was still on its way, for the invariants. */
  async function disconnect(code: number, reason: string): Promise<void> {
    if (!session || !events) return;
    const closing = session.close(code, reason);
    const deadline = performance.now() + DRAIN_MS;
    for (;;) {
      const next = await nextBefore(events, deadline);
      if (next === 'deadline' || next.done) break;
      observe(next.value);
    }
    await closing;
    note(`closed ${code}`);
    session = events = undefined;
  }

  async function reconnect(policy: ReconnectPolicy, timeoutMs: number): Promise<Outcome> {
    await disconnect(4000, 'reconnecting');
    let pause = policy.backoffMs;
    let last: Outcome = { ok: false, reason: 'no attempt' };
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      last = await connect(timeoutMs, policy.token === 'fresh');
      if (last.ok) return last;
      if (attempt < policy.attempts) await sleep(pause);
      pause = Math.min(pause * 2, policy.maxBackoffMs);
    }
    return { ok: false, reason: `${policy.attempts} attempts failed; the last: ${(last as { reason: string }).reason}` };
  }

  async function perform(step: Step): Promise<Outcome> {
    switch (step.kind) {
      case 'connect': return connect(step.timeoutMs, false);
      case 'reconnect': return reconnect(step.policy, step.timeoutMs);
      case 'wait': await sleep(step.ms); return { ok: true };
      case 'drop': await disconnect(4000, 'dropped by handshake check'); return { ok: true };
      case 'close': await disconnect(1000, 'handshake check done'); return { ok: true };
      case 'send':
      case 'expect': {
        const message = step.kind === 'send' ? substitute(step.message, vars) : undefined;
        if (message !== undefined) note({ sent: message });
        const result = await runExchange({ session: session!, events, message, expected: step.expected, timeoutMs: step.timeoutMs, onEvent: observe,
          bindings: { user, n: String(n), user_id: vars.userId ?? user } });
        return result.ok ? { ok: true } : { ok: false, reason: result.reason };
      }
    }
  }

  let failed = false;
  for (const [index, step] of ctx.steps.entries()) {
    if (failed) {
      ctx.onCase({ user, step: index, status: 'skipped' });
      continue;
    }
    const started = performance.now();
    const outcome = await perform(step);
    const ms = Math.round((performance.now() - started) * 10) / 10;
    if (outcome.ok) ctx.onCase({ user, step: index, status: 'passed', ms });
    else {
      failed = true;
      ctx.onCase({ user, step: index, status: 'failed', ms, failure: { reason: outcome.reason, frames: frames.map(frameLine) } });
    }
  }
  await disconnect(1000, failed ? 'handshake check: step failed' : 'handshake check done');
  return !failed;
}

/** A note (connected, closed), a message sent, or an event received. */
type Frame = string | { sent: unknown } | ReceivedEvent;

function frameLine(frame: Frame): string {
  if (typeof frame === 'string') return frame;
  if ('sent' in frame) return `-> ${JSON.stringify(frame.sent).slice(0, 160)}`;
  return `<- ${frame.timestamp.slice(11, 23)} ${frame.type}${frame.run_id ? ` ${frame.run_id}` : ''}${frame.user_id ? ` user_id=${frame.user_id}` : ''}`;
}
