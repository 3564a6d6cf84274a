// The one home of redaction: what may be shown of a token, a secret, a header or a frame. The backend, the
// client side, the recording proxy, the inspector's records, exports and logs all go through it.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { offeredProtocols, tokenOfProtocol } from './verify';

/** What may be shown of a secret or token: the first few characters at most. */
export function redact(value: string, keep = 6): string {
  return value.length <= keep ? '…' : `${value.slice(0, keep)}…`;
}

/** `jwt.eyJhbGciOi…` style: keeps the scheme and the first characters, never the token. */
export function redactProtocol(entry: string): string {
  if (tokenOfProtocol(entry) === undefined) return entry;
  const dot = entry.indexOf('.');
  return `${entry.slice(0, dot + 1)}${redact(entry.slice(dot + 1))}`;
}

/** Request or response headers with credentials redacted: Authorization, Cookie and token-bearing subprotocols. */
export function redactHeaders(headers: IncomingHttpHeaders | OutgoingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    if (name === 'authorization' || name === 'proxy-authorization') out[name] = text.replace(/^(\S+\s+)?(.*)$/s, (_m, scheme: string | undefined, cred: string) => `${scheme ?? ''}${redact(cred)}`);
    else if (name === 'cookie' || name === 'set-cookie') out[name] = redact(text, 0);
    else if (name === 'sec-websocket-protocol') out[name] = offeredProtocols({ 'sec-websocket-protocol': text }).map(redactProtocol).join(', ');
    else out[name] = redactText(text);
  }
  return out;
}

/** ws's response header lines ("Name: value", after the status line) as a record, redacted. */
export function redactResponseHeaders(lines: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon >= 0) record[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return redactHeaders(record);
}

// A JWT anywhere in free text (a frame, a URL query, an error body): three base64url parts, the first a JSON header.
const JWT_IN_TEXT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
// The same token base64url-encoded once more, as browsers send it in a subprotocol.
const ENCODED_JWT_IN_TEXT = /ZXlK[A-Za-z0-9_-]{20,}/g;

/** Free text with every JWT in it cut to its first characters. */
export function redactText(text: string): string {
  if (!text.includes('eyJ') && !text.includes('ZXlK')) return text;
  return text.replace(JWT_IN_TEXT, (t) => redact(t)).replace(ENCODED_JWT_IN_TEXT, (t) => redact(t));
}
