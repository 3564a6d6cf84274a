// Every way opening a WebSocket session can fail, as a value, and the one sentence that explains it:
// what was tried, against what, how long it waited and what came back (SPEC section 4). The CLI's
// `send`, the stack readiness probe and the message panel all show this same explanation.
import { closeCodeMeaning } from '../../$shared/wire';

export type AuthMode = 'header' | 'subprotocol';

/** What was attempted: enough to say "tried X against Y". */
export interface SessionAttempt {
  url: string;
  /** How the token travelled; 'none' when no token was given. */
  auth: AuthMode | 'none';
  waitedMs: number;
}

export type SessionFailure = SessionAttempt & (
  | { kind: 'refused' }
  | { kind: 'dns'; errorCode: string }
  | { kind: 'tls'; errorCode: string; detail: string }
  | { kind: 'timeout' }
  | { kind: 'http-status'; status: number; statusText: string; body: string }
  | { kind: 'closed'; code: number; reason: string }
  | { kind: 'network'; errorCode: string; detail: string }
  | { kind: 'invalid-url'; detail: string }
);

// Node's codes for certificate and TLS handshake problems (openssl's names plus Node's ERR_TLS_*).
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(VERIFY|GET)_|EPROTO$|HOSTNAME_MISMATCH$)/;
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);

/** Sorts a socket-level error raised before the upgrade completed into a failure value. */
export function failureFromError(attempt: SessionAttempt, error: Error): SessionFailure {
  const errorCode = (error as NodeJS.ErrnoException).code ?? '';
  if (errorCode === 'ECONNREFUSED') return { ...attempt, kind: 'refused' };
  if (DNS_CODES.has(errorCode)) return { ...attempt, kind: 'dns', errorCode };
  if (TLS_CODES.test(errorCode) || /certificate|ssl|tls/i.test(error.message)) {
    return { ...attempt, kind: 'tls', errorCode: errorCode || 'TLS', detail: error.message };
  }
  return { ...attempt, kind: 'network', errorCode, detail: error.message };
}

/** The server's own words from an error body: `error`, `reason`, `message` (or FastAPI's `detail`), else the text. */
export function bodyMessage(body: string): string {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const parts = [json.error, json.reason, json.message, json.detail].filter((v) => typeof v === 'string' && v);
    if (parts.length) return parts.join(': ');
  } catch {
    // Not JSON: the raw text (trimmed) is the best the server said.
  }
  const text = body.trim().replace(/\s+/g, ' ');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** "WebSocket handshake to URL with ...": what was tried and how the token travelled. */
export function describeAttempt(f: Pick<SessionAttempt, 'url' | 'auth'>): string {
  const how = f.auth === 'header' ? 'with an Authorization: Bearer token'
    : f.auth === 'subprotocol' ? 'with the token in Sec-WebSocket-Protocol' : 'without a token';
  return `WebSocket handshake to ${f.url} ${how}`;
}

function describeOutcome(f: SessionFailure): string {
  const host = hostOf(f.url);
  switch (f.kind) {
    case 'refused': return `connection refused: nothing is listening on ${host}`;
    case 'dns': return `DNS lookup of ${new URL(f.url).hostname} failed (${f.errorCode})`;
    case 'tls': return `TLS error (${f.errorCode}): ${f.detail}`;
    case 'timeout': return 'no answer: timed out';
    case 'http-status': {
      const said = bodyMessage(f.body);
      return `refused with HTTP ${f.status}${f.statusText ? ` ${f.statusText}` : ''}${said ? `: ${said}` : ''}`;
    }
    case 'closed': return `closed ${describeClose(f.code, f.reason)}`;
    case 'invalid-url': return `not a WebSocket URL: ${f.detail}`;
    case 'network': return `network error${f.errorCode ? ` (${f.errorCode})` : ''}: ${f.detail}`;
  }
}

/** One line: tried what, against what, how long it waited, what came back. */
export function explainFailure(f: SessionFailure): string {
  return `${describeAttempt(f)}: ${describeOutcome(f)} after ${Math.round(f.waitedMs)} ms`;
}

/** "with code 1009 (message too big): reason": the close code, what it means, and the server's reason. */
export function describeClose(code: number, reason: string): string {
  return `with code ${code} (${closeCodeMeaning(code)})${reason ? `: ${reason}` : ''}`;
}

/** host:port of a URL, with the scheme's default port when it names none. */
export function hostOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (/^(wss|https):$/.test(u.protocol) ? 443 : 80)}`;
}
