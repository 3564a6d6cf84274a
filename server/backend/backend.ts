// The local backend: one node:http server on loopback serving the health/config routes and, on /ws, the
// agent service's WebSocket. Every upgrade is authenticated and counted BEFORE it completes, so refusals
// are plain HTTP answers (401 with a reason, 429 for a 4th connection) a client can read.
import crypto from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Profile } from '../../$shared/protocol';
import type { Limits } from '../../$shared/wire';
import { redactHeaders, redactProtocol, redactResponseHeaders, redactText } from '../auth/redact';
import { extractToken, tokenVerifier, type VerifyOptions } from '../auth/verify';
import { hostPort } from '../config/config';
import { handleHttp, refuseUpgrade, type BackendState } from './http-routes';
import { limitsFor } from './limits';
import { ConnectionEvents } from '../inspector/events';
import { RateLimiter } from './rate-limit';
import { Session, type SessionHost } from './session';

export interface BackendOptions extends VerifyOptions {
  host: string;
  /** 0 asks the OS for a free port. */
  port: number;
  profile: Profile;
  /** Overrides the profile's heartbeat interval (tests use a short one). */
  heartbeatMs?: number;
  /** Where connection events go (the daemon's one fan-out); a fresh one when not given. */
  events?: ConnectionEvents;
}

export interface RunningBackend {
  httpUrl: string;
  wsUrl: string;
  port: number;
  profile: Profile;
  limits: Limits;
  /** Every connection opened, refused, framed and closed; subscribe at any time. */
  events: ConnectionEvents;
  /** Open WebSocket connections right now. */
  connectionCount(): number;
  /** Closes every connection (1001), frees every timer and stops listening. */
  close(): Promise<void>;
}

function destroyOnError(this: Duplex): void {
  this.destroy();
}

/** How long close() waits for clients to answer the close frame before cutting them off. */
const CLOSE_GRACE_MS = 1_000;

export async function startBackend(opts: BackendOptions): Promise<RunningBackend> {
  // An empty HS256 key would make every dev token fail for a reason that names the token, not the setup.
  if (!opts.secret && !opts.jwksUrl) throw new Error('the local backend needs a JWT secret (or jwt.jwksUrl) to verify tokens');
  const limits = limitsFor(opts.profile, opts.heartbeatMs);
  const events = opts.events ?? new ConnectionEvents();
  const sessionsByUser = new Map<string, Session[]>();
  /** Connections per user, counting upgrades still in progress so two racing upgrades cannot both be the 3rd. */
  const slots = new Map<string, number>();
  const limiter = new RateLimiter(limits.messages_per_minute);
  const verify = tokenVerifier({ secret: opts.secret, issuer: opts.issuer, audience: opts.audience, jwksUrl: opts.jwksUrl });
  let accepting = false;

  const host: SessionHost = {
    limits, profile: opts.profile, limiter, events,
    sessionsOf: (userId) => sessionsByUser.get(userId) ?? [],
    sessionClosed(session) {
      const left = (sessionsByUser.get(session.userId) ?? []).filter((s) => s !== session);
      if (left.length > 0) sessionsByUser.set(session.userId, left);
      else sessionsByUser.delete(session.userId);
      releaseSlot(session.userId);
    },
  };

  function releaseSlot(userId: string): void {
    const left = (slots.get(userId) ?? 1) - 1;
    if (left > 0) slots.set(userId, left);
    else {
      slots.delete(userId);
      limiter.release(userId);
    }
  }

  // noServer: the http server's 'upgrade' handler decides, and only then hands the socket to ws.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.max_message_bytes,
    // UTF-8 is checked per message so that invalid text is a validation_error, not a 1007 close.
    skipUTF8Validation: true,
    handleProtocols: (_offered, req) => extractToken(req.headers).selectedProtocol ?? false,
  });

  const responseHeaders = new WeakMap<IncomingMessage, string[]>();
  // ws announces the 101 response's header lines just before writing them; the inspector records them.
  wss.on('headers', (lines, req) => { if (events.watched) responseHeaders.set(req, lines); });

  const server = http.createServer((req, res) => handleHttp(req, res, state));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that resets mid-handshake must not crash the process (ws takes over errors once upgraded).
    socket.on('error', destroyOnError);
    void upgrade(req, socket, head);
  });

  /**
   * ws ends a socket whose handshake is invalid without calling back: the slot goes back then. Once upgraded,
   * the WebSocket owns the socket: the returned function drops the pre-upgrade listeners (idle connections
   * stay light, and nothing keeps the upgrade request alive).
   */
  function releaseSlotUnlessUpgraded(socket: Duplex, userId: string): () => void {
    const release = () => releaseSlot(userId);
    socket.once('close', release);
    return () => {
      socket.off('close', release);
      socket.off('error', destroyOnError);
    };
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const refuse = (status: number, body: { error: string; reason?: string; message?: string; [k: string]: unknown }, headers?: Record<string, string>) => {
      refuseUpgrade(socket, status, body, headers);
      if (events.watched) events.emit('handshakeRefused', { id: `conn_${crypto.randomUUID()}`, source: 'backend', target: targetOf(req), status, reason: body.reason ?? body.error,
        requestHeaders: redactHeaders(req.headers), body: redactText(JSON.stringify(body)), clientAddress: req.socket.remoteAddress ?? '', at: new Date() });
    };
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/ws') return refuse(404, { error: 'not_found', message: `no WebSocket at ${path}; use /ws` });
    if (!accepting) return refuse(503, { error: 'service_not_ready', message: 'the backend is shutting down' });
    const extracted = extractToken(req.headers);
    const verdict = await verify(extracted.token ?? '');
    if (!verdict.ok) {
      return refuse(401, { error: 'unauthorized', reason: verdict.reason }, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${verdict.reason}"` });
    }
    const userId = verdict.claims.sub;
    const held = slots.get(userId) ?? 0;
    if (held >= limits.max_connections_per_user) {
      return refuse(429, { error: 'too_many_connections', reason: 'connection_limit',
        message: `this user already has ${held} connections (limit ${limits.max_connections_per_user})`, limit: limits.max_connections_per_user }, { 'Retry-After': '5' });
    }
    // Shutdown began while the token was being verified.
    if (!accepting) return refuse(503, { error: 'service_not_ready', message: 'the backend is shutting down' });
    if (socket.destroyed) return;
    slots.set(userId, held + 1);
    const markUpgraded = releaseSlotUnlessUpgraded(socket, userId);
    wss.handleUpgrade(req, socket, head, (ws) => {
      markUpgraded();
      const id = `conn_${crypto.randomUUID()}`;
      const sent = responseHeaders.get(req) ?? [];
      responseHeaders.delete(req);
      if (events.watched) events.emit('connectionOpened', { id, source: 'backend', userId, target: targetOf(req), requestHeaders: redactHeaders(req.headers),
        responseHeaders: redactResponseHeaders(sent), ...(ws.protocol ? { protocol: redactProtocol(ws.protocol) } : {}), clientAddress: req.socket.remoteAddress ?? '', at: new Date() });
      const session = new Session(id, userId, ws, host);
      // Plain arrays: at most 3 entries, and far lighter per idle connection than a Set.
      sessionsByUser.set(userId, [...(sessionsByUser.get(userId) ?? []), session]);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const address = hostPort(opts.host, port);
  /** The URL the client asked for (a token in its query is redacted). */
  const targetOf = (req: IncomingMessage) => redactText(`ws://${address}${req.url ?? '/'}`);
  const state: BackendState = {
    wsUrl: `ws://${address}/ws`, profile: opts.profile, limits, authMode: opts.jwksUrl ? 'JWKS' : 'HS256', startedAt: Date.now(),
    get accepting() { return accepting; },
    connectionCount: () => allSessions().length,
  };
  accepting = true;

  function allSessions(): Session[] {
    return [...sessionsByUser.values()].flat();
  }

  const heartbeat = setInterval(() => allSessions().forEach((s) => s.heartbeat()), limits.heartbeat_interval_ms);

  return {
    httpUrl: `http://${address}`, wsUrl: state.wsUrl, port, profile: opts.profile, limits, events,
    connectionCount: state.connectionCount,
    async close() {
      accepting = false;
      clearInterval(heartbeat);
      const open = allSessions();
      open.forEach((s) => s.close(1001, 'server shutting down'));
      const grace = setTimeout(() => allSessions().forEach((s) => s.terminate()), CLOSE_GRACE_MS);
      await new Promise<void>((resolve) => {
        const check = () => (allSessions().length === 0 ? resolve() : setTimeout(check, 10));
        check();
      });
      clearTimeout(grace);
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
