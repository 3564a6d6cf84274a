// The hook the connection inspector plugs into: the backend reports each connection's opening (with
// credentials redacted), every frame in and out, and the close. Observers never see a token.
import type { IncomingHttpHeaders } from 'node:http';
import { redact } from '../auth/secret';
import { offeredProtocols, tokenOfProtocol } from '../auth/verify';

export interface ConnectionOpened {
  id: string;
  userId: string;
  /** The upgrade request's headers with Authorization and token-bearing subprotocols redacted. */
  headers: Record<string, string>;
  /** The 101 response's headers; an echoed token-bearing subprotocol is redacted. */
  responseHeaders: Record<string, string>;
  /** The subprotocol the server answered with (redacted the same way), if any. */
  protocol?: string;
  remoteAddress: string;
  at: Date;
}

export interface FrameSeen {
  connectionId: string;
  direction: 'in' | 'out';
  at: Date;
  size: number;
  opcode: 'text' | 'binary' | 'ping' | 'pong';
  /** The `type` of a JSON text frame, when it has one. */
  jsonType?: string;
  /** The text of a text frame (the inspector shows it as a JSON tree). */
  text?: string;
}

export interface ConnectionClosed { id: string; code: number; reason: string; at: Date }

/** An upgrade answered with an HTTP error (401 with its reason, 429, 404, 503) instead of a WebSocket. */
export interface HandshakeRefused { status: number; reason: string; headers: Record<string, string>; remoteAddress: string; at: Date }

export interface BackendObserver {
  connectionOpened?(event: ConnectionOpened): void;
  frame?(event: FrameSeen): void;
  connectionClosed?(event: ConnectionClosed): void;
  handshakeRefused?(event: HandshakeRefused): void;
}

/** `jwt.eyJhbGciOi…` style: keeps the scheme and the first characters, never the token. */
export function redactProtocol(entry: string): string {
  if (tokenOfProtocol(entry) === undefined) return entry;
  const dot = entry.indexOf('.');
  return `${entry.slice(0, dot + 1)}${redact(entry.slice(dot + 1))}`;
}

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'authorization') out[name] = text.replace(/^(\S+\s+)?(.*)$/s, (_m, scheme: string | undefined, cred: string) => `${scheme ?? ''}${redact(cred)}`);
    else if (name === 'sec-websocket-protocol') out[name] = offeredProtocols(headers).map(redactProtocol).join(', ');
    else out[name] = text;
  }
  return out;
}

/** ws's response header lines ("Name: value", after the status line) as a record, redacted. */
export function redactResponseHeaders(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    out[name] = name === 'sec-websocket-protocol' ? redactProtocol(value) : value;
  }
  return out;
}

/** Calls an observer callback without letting a faulty observer break the connection it watches. */
export function notify<K extends keyof BackendObserver>(observer: BackendObserver | undefined, key: K, event: Parameters<NonNullable<BackendObserver[K]>>[0]): void {
  const fn = observer?.[key] as ((e: typeof event) => void) | undefined;
  if (!fn) return;
  try {
    fn.call(observer, event);
  } catch {
    // The inspector's failure is its own; the backend keeps serving.
  }
}
