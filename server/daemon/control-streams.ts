// The control API's two WebSocket streams. /v1/follow: what the recorder keeps, live (connections, frames
// that pass the filter; `connections=0` leaves them out) and, with `stack=1`, every stack state. /v1/ingest: connection events of another
// Handshake process (`send`, `check`, a `proxy` beside this daemon) fed into this daemon's fan-out.
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { ConnectionSummary, FrameRecord, StackState } from '../../$shared/protocol';
import { redactHeaders, redactText } from '../auth/redact';
import { connectionMatches, FilterError, frameMatches } from '../inspector/filter';
import type { ConnectionObserver } from '../inspector/events';
import type { ControlTarget } from './control-api';
import { filterOf } from './control-routes';

/** A follower that reads slower than frames arrive loses frames (counted, announced), never the daemon's memory. */
const MAX_BUFFERED = 4 * 1024 * 1024;

export function followStream(ws: WebSocket, req: IncomingMessage, target: ControlTarget): void {
  const url = new URL(req.url ?? '/', 'http://control');
  let filter;
  try {
    filter = filterOf(url);
  } catch (e) {
    ws.close(1008, e instanceof FilterError ? e.message.slice(0, 120) : 'bad filter');
    return;
  }
  let skipped = 0;
  const send = (message: unknown, droppable: boolean) => {
    if (droppable && ws.bufferedAmount > MAX_BUFFERED) {
      skipped++;
      return;
    }
    if (skipped > 0) {
      ws.send(JSON.stringify({ kind: 'skipped', frames: skipped }));
      skipped = 0;
    }
    ws.send(JSON.stringify(message));
  };
  const onConnection = (connection: ConnectionSummary) => {
    if (connectionMatches(connection, filter)) send({ kind: 'connection', connection }, false);
  };
  const onFrame = (frame: FrameRecord) => {
    if (!frameMatches(frame, filter)) return;
    // The connection's user and id decide too; the recorder knows them (it just recorded this frame).
    const connection = target.recorder.summary(frame.connectionId);
    if (connection && connectionMatches(connection, filter)) send({ kind: 'frame', frame }, true);
  };
  const connections = url.searchParams.get('connections') !== '0';
  if (connections) {
    target.recorder.on('connection', onConnection);
    target.recorder.on('frame', onFrame);
  }
  let onStack: ((state: StackState) => void) | undefined;
  if (url.searchParams.get('stack') === '1') {
    const monitor = target.stack();
    onStack = (state) => send({ kind: 'stack', state }, false);
    monitor.on('change', onStack);
    void target.settledStack().then((state) => send({ kind: 'stack', state }, false));
  }
  ws.on('error', () => ws.terminate());
  ws.once('close', () => {
    target.recorder.off('connection', onConnection);
    target.recorder.off('frame', onFrame);
    if (onStack) target.stack().off('change', onStack);
  });
}

type Key = keyof ConnectionObserver;
const KEYS: Key[] = ['connectionOpened', 'frame', 'connectionClosed', 'handshakeRefused'];

/** Each message: {"event": "connectionOpened"|"frame"|"connectionClosed"|"handshakeRefused", "data": {…}}, dates as ISO strings. */
export function ingestStream(ws: WebSocket, _req: IncomingMessage, target: ControlTarget): void {
  ws.on('error', () => ws.terminate());
  ws.on('message', (raw, isBinary) => {
    if (isBinary) return;
    let message: { event?: unknown; data?: Record<string, unknown> };
    try {
      message = JSON.parse(String(raw)) as typeof message;
    } catch {
      return;
    }
    const event = message.event as Key;
    const data = message.data;
    if (!KEYS.includes(event) || typeof data !== 'object' || data === null) return;
    const revived = revive(data);
    if (revived) target.events.emit(event, revived as never);
  });
}

/** A sender's event made safe again: dates revived, headers and text redacted once more (the sender is another process). */
function revive(data: Record<string, unknown>): Record<string, unknown> | undefined {
  const at = typeof data.at === 'string' ? new Date(data.at) : undefined;
  if (!at || Number.isNaN(at.getTime())) return undefined;
  const out: Record<string, unknown> = { ...data, at };
  if (data.source !== undefined && data.source !== 'client' && data.source !== 'proxy') return undefined;
  for (const key of ['requestHeaders', 'responseHeaders'] as const) {
    if (typeof data[key] === 'object' && data[key] !== null) out[key] = redactHeaders(data[key] as Record<string, string>);
  }
  for (const key of ['text', 'target', 'body', 'reason'] as const) if (typeof data[key] === 'string') out[key] = redactText(data[key] as string);
  if (typeof data.binary === 'string') out.binary = Buffer.from(data.binary, 'base64');
  return out;
}
