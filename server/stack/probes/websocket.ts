// WebSocket probe: a real handshake with a minted JWT, through the same session code the CLI's `send`
// uses (server/wsclient), optionally waiting for a first message such as connection_established.
import type { ProbeResult } from '../../../$shared/protocol';
import { nextBefore } from '../../wsclient/exchange';
import { describeAttempt, describeClose, explainFailure, type AuthMode } from '../../wsclient/failure';
import { openSession } from '../../wsclient/session';
import { probeResult } from './result';

export interface WebSocketProbeOptions {
  url: string;
  token: string;
  auth: AuthMode;
  timeoutMs: number;
  expectFirstMessage?: string;
}

export async function probeWebSocket(opts: WebSocketProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  const done = (ok: boolean, outcome: string) => probeResult('websocket', opts.url, ok, `${describeAttempt(opts)}: ${outcome}`, started);
  const opened = await openSession({ url: opts.url, token: opts.token, auth: opts.auth, timeoutMs: opts.timeoutMs });
  if (!opened.ok) {
    // explainFailure already says what was tried, against what, how long it waited and what came back.
    return { ...probeResult('websocket', opts.url, false, '', started), detail: explainFailure(opened.failure) };
  }
  const session = opened.session;
  try {
    if (!opts.expectFirstMessage) return done(true, 'open');
    const next = await nextBefore(session.events[Symbol.asyncIterator](), started + opts.timeoutMs);
    if (next === 'deadline') return done(false, `open, but no first message (expected ${opts.expectFirstMessage})`);
    if (next.done) {
      const closed = await session.closed;
      return done(false, `open, then closed ${describeClose(closed.code, closed.reason)} before any message`);
    }
    const first = next.value;
    if (first.type !== opts.expectFirstMessage) return done(false, `open, but the first message was ${first.type} (expected ${opts.expectFirstMessage})`);
    return done(true, `open, first message ${first.type}`);
  } finally {
    await session.close(1000, 'handshake probe');
  }
}
