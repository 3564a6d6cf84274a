// The client side of the inspector: a connection this process makes (send, the panel, scenario runs) is
// reported to a connection-event fan-out like the backend's and the proxy's, redacted the same way.
import crypto from 'node:crypto';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import { redactHeaders, redactText } from '../auth/redact';
import { jsonTypeOf, type ConnectionEvents } from '../inspector/events';

export interface RecordingOptions {
  events: ConnectionEvents;
  /** Who made the connection: 'send', 'panel', 'check'… */
  via: string;
  userId?: string;
}

/**
 * Reports the connection's handshake, frames and close; returns what sending a frame must also report.
 * `sent` are the headers the caller gave ws (its own, Sec-WebSocket-Key and kin, are standard and not repeated).
 */
export function recordClient(ws: WebSocket, url: string, sent: Record<string, string>, rec: RecordingOptions): { sent(data: string | Buffer): void } {
  const id = `conn_${crypto.randomUUID()}`;
  const base = { id, source: 'client' as const, via: rec.via, ...(rec.userId ? { userId: rec.userId } : {}), target: redactText(url) };
  const requestHeaders = redactHeaders({ host: new URL(url).host, upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-version': '13', ...sent });
  let opened = false;
  ws.once('upgrade', (res: IncomingMessage) => {
    ws.once('open', () => (opened = true) && rec.events.emit('connectionOpened', { ...base, requestHeaders, responseHeaders: redactHeaders(res.headers),
      ...(ws.protocol ? { protocol: redactHeaders({ 'sec-websocket-protocol': ws.protocol })['sec-websocket-protocol'] } : {}),
      clientAddress: localAddress(res), at: new Date() }));
  });
  ws.once('unexpected-response', (_req: ClientRequest, res: IncomingMessage) => {
    // The body is read by the session; the refusal is reported with what the status line and headers say.
    rec.events.emit('handshakeRefused', { ...base, status: res.statusCode ?? 0, reason: res.statusMessage ?? '', requestHeaders,
      responseHeaders: redactHeaders(res.headers), clientAddress: localAddress(res), at: new Date() });
  });
  const frame = (from: 'client' | 'server', data: Buffer | string, opcode: 'text' | 'binary' | 'ping' | 'pong') => {
    if (!rec.events.framesWatched) return;
    const text = opcode === 'binary' ? undefined : String(data);
    const jsonType = opcode === 'text' && text !== undefined ? jsonTypeOf(text) : undefined;
    rec.events.emit('frame', { connectionId: id, from, at: new Date(), size: Buffer.byteLength(data), opcode,
      ...(jsonType ? { jsonType } : {}), ...(text === undefined ? { binary: Buffer.from(data) } : { text }) });
  };
  ws.on('message', (data, isBinary) => frame('server', data as Buffer, isBinary ? 'binary' : 'text'));
  ws.on('ping', (data) => frame('server', data, 'ping'));
  ws.on('pong', (data) => frame('server', data, 'pong'));
  ws.once('close', (code, reason) => {
    // A refused handshake never opened: its refusal is its record.
    if (!opened) return;
    rec.events.emit('connectionClosed', { id, code, reason: reason.toString(), at: new Date() });
  });
  return { sent: (data) => frame('client', data, typeof data === 'string' ? 'text' : 'binary') };
}

function localAddress(res: IncomingMessage): string {
  const s = res.socket;
  return s?.localAddress ? `${s.localAddress}:${s.localPort}` : '';
}
