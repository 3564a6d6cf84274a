// One authenticated WebSocket session with an agent service, free of any UI: the CLI's `send`, the stack
// readiness probe and the message panel open it the same way. The token travels as `Authorization: Bearer`
// or browser style as subprotocols ['jwt-auth', 'jwt.<base64url token>']. Opening never throws: it
// resolves to a session or to a failure value (see failure.ts).
import { EventEmitter, on } from 'node:events';
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { closeCodeMeaning } from '../../$shared/wire';
import { normaliseEvent, type ReceivedEvent } from './envelope';
import { failureFromError, type AuthMode, type SessionAttempt, type SessionFailure } from './failure';
import { recordClient, type RecordingOptions } from './recording';

export interface OpenOptions {
  url: string;
  token?: string;
  auth: AuthMode;
  timeoutMs: number;
  headers?: Record<string, string>;
  /** Report the connection to the inspector (redacted): handshake, every frame, the close. */
  record?: RecordingOptions;
}

export interface CloseInfo {
  code: number;
  reason: string;
  /** What the code means (RFC 6455 and the service's own codes). */
  meaning: string;
}

export interface Session {
  url: string;
  /** The subprotocol the server selected, '' when none. */
  protocol: string;
  /** Every frame as an event, in arrival order, from the moment the session opened; ends on close. */
  events: AsyncIterable<ReceivedEvent>;
  /** Sends a message as JSON (a string is sent as it is). */
  send(message: unknown): void;
  /** Closes (1000 unless told otherwise); resolves once the close handshake is over (at most 2 s). */
  close(code?: number, reason?: string): Promise<CloseInfo>;
  /** Resolves when the connection closes, whoever closed it. */
  closed: Promise<CloseInfo>;
}

export type OpenResult = { ok: true; session: Session } | { ok: false; failure: SessionFailure };

/** Error bodies are read up to this size: enough for a JSON reason or an HTML error page's first lines. */
const MAX_BODY_BYTES = 4096;

/** How long close() waits for the server's close frame before dropping the socket. */
const CLOSE_WAIT_MS = 2000;

/** The browser style of sending a token: a bare protocol name plus the token base64url-encoded. */
function subprotocolsFor(token: string): string[] {
  return ['jwt-auth', `jwt.${Buffer.from(token, 'utf8').toString('base64url')}`];
}

export function openSession(opts: OpenOptions): Promise<OpenResult> {
  const started = performance.now();
  const attempt = (): SessionAttempt => ({ url: opts.url, auth: opts.token ? opts.auth : 'none', waitedMs: performance.now() - started });
  const headers = { ...opts.headers };
  if (opts.token && opts.auth === 'header') headers.Authorization = `Bearer ${opts.token}`;
  const protocols = opts.token && opts.auth === 'subprotocol' ? subprotocolsFor(opts.token) : [];
  let ws: WebSocket;
  try {
    // ws is the library the backend is built on too; our own timer replaces its handshakeTimeout so the
    // failure says how long it waited in one place.
    ws = new WebSocket(opts.url, protocols, { headers });
  } catch (e) {
    return Promise.resolve({ ok: false, failure: { ...attempt(), kind: 'invalid-url', detail: (e as Error).message } });
  }
  const recording = opts.record
    ? recordClient(ws, opts.url, { ...headers, ...(protocols.length ? { 'sec-websocket-protocol': protocols.join(', ') } : {}) }, opts.record) : undefined;
  return new Promise<OpenResult>((resolve) => {
    let settled = false;
    const settle = (result: OpenResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const fail = (failure: SessionFailure) => {
      settle({ ok: false, failure });
      ws.terminate();
    };
    const timer = setTimeout(() => fail({ ...attempt(), kind: 'timeout' }), opts.timeoutMs);
    // A refusal before the upgrade (401, 404, 429, 503): keep the status and the body's explanation.
    ws.on('unexpected-response', (req, res: IncomingMessage) => {
      readBody(res).then((body) => {
        req.destroy();
        fail({ ...attempt(), kind: 'http-status', status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body });
      }, (e: Error) => fail(failureFromError(attempt(), e)));
    });
    ws.on('error', (e) => { if (!settled) fail(failureFromError(attempt(), e)); });
    ws.on('close', (code, reason) => { if (!settled) settle({ ok: false, failure: { ...attempt(), kind: 'closed', code, reason: reason.toString() } }); });
    ws.once('open', () => settle({ ok: true, session: sessionOf(ws, opts.url, recording?.sent) }));
  });
}

function sessionOf(ws: WebSocket, url: string, recordSent?: (data: string) => void): Session {
  // Frames go through an emitter of our own so the iterator is created now and buffers from the first frame;
  // errors after the open end up in the close code (ws always follows them with 'close'; the 'error'
  // listener set while opening stays, so they never go unhandled).
  const frames = new EventEmitter();
  const events = on(frames, 'event', { close: ['end'] });
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? `<binary frame of ${(data as Buffer).length} bytes>` : data.toString();
    frames.emit('event', normaliseEvent(text));
  });
  const closed = new Promise<CloseInfo>((resolve) => ws.once('close', (code, reason) => {
    frames.emit('end');
    resolve({ code, reason: reason.toString(), meaning: closeCodeMeaning(code) });
  }));
  return {
    url,
    protocol: ws.protocol,
    events: { async *[Symbol.asyncIterator]() { for await (const [event] of events) yield event as ReceivedEvent; } },
    send: (message) => {
      const text = typeof message === 'string' ? message : JSON.stringify(message);
      ws.send(text);
      recordSent?.(text);
    },
    close: (code = 1000, reason = '') => {
      if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
      // A server that never answers the close frame must not keep the caller (a CLI process) waiting 30 s.
      setTimeout(() => ws.terminate(), CLOSE_WAIT_MS).unref();
      return closed;
    },
    closed,
  };
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_BODY_BYTES) res.destroy();
    });
    // 'close' alone also comes when the size limit above destroys the response.
    const done = () => resolve(Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'));
    res.on('end', done);
    res.on('close', done);
    res.on('error', reject);
  });
}
