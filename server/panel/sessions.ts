// The message panel's connections, held by the daemon: it mints each user's token with the workspace identity,
// opens the session (header or subprotocol, as `handshake send` does), reports it to the inspector (via
// 'panel'), and hands every event to the editor. The token stays in this process; the editor gets its claims.
import crypto from 'node:crypto';
import { decodeJwt } from 'jose';
import type { PanelClose, PanelConnectParams, PanelConnectResult } from '../../$shared/protocol';
import type { ReceivedEvent } from '../../$shared/wire';
import type { Identity } from '../auth/identity';
import { redactProtocol } from '../auth/redact';
import type { ConnectionEvents } from '../inspector/events';
import { explainFailure } from '../wsclient/failure';
import { openSession, type Session } from '../wsclient/session';

/** How long a connect may take before the panel shows why it failed. */
const CONNECT_TIMEOUT_MS = 10_000;
/** Claims the daemon sets itself: extra claims may not override who the token is for or when it expires. */
const RESERVED_CLAIMS = new Set(['sub', 'exp', 'iat', 'nbf', 'iss', 'aud']);

export interface PanelListener {
  event(sessionId: string, at: string, event: ReceivedEvent): void;
  closed(sessionId: string, close: PanelClose): void;
}

export class PanelSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly identity: Identity, private readonly events: ConnectionEvents, private readonly listener: PanelListener) {}

  async connect(p: PanelConnectParams): Promise<PanelConnectResult> {
    if (!/^wss?:\/\//i.test(p.url) || !URL.canParse(p.url)) return { ok: false, error: `not a ws:// or wss:// URL: ${p.url}` };
    const reserved = Object.keys(p.claims ?? {}).filter((k) => RESERVED_CLAIMS.has(k));
    if (reserved.length) return { ok: false, error: `extra claims may not set ${reserved.join(', ')} (the user id and TTL fields do)` };
    let token: string;
    try {
      token = await this.identity.mint(p.user, { ...(p.ttl ? { ttl: p.ttl } : {}), ...(p.claims ? { claims: p.claims } : {}) });
    } catch (e) {
      return { ok: false, error: `could not mint a token: ${(e as Error).message}` };
    }
    const opened = await openSession({ url: p.url, token, auth: p.auth, timeoutMs: CONNECT_TIMEOUT_MS,
      record: { events: this.events, via: 'panel', userId: p.user } });
    if (!opened.ok) return { ok: false, error: explainFailure(opened.failure) };
    const sessionId = `panel_${crypto.randomUUID()}`;
    const session = opened.session;
    this.sessions.set(sessionId, session);
    void this.pump(sessionId, session);
    const claims = decodeJwt(token);
    return { ok: true, sessionId, url: p.url, protocol: redactProtocol(session.protocol), claims, expiresAt: new Date((claims.exp ?? 0) * 1000).toISOString() };
  }

  send(sessionId: string, message: unknown): { at: string } | { error: string } {
    const session = this.sessions.get(sessionId);
    if (!session) return { error: 'not connected (the connection closed)' };
    session.send(message);
    return { at: new Date().toISOString() };
  }

  async disconnect(sessionId: string): Promise<PanelClose | null> {
    const session = this.sessions.get(sessionId);
    return session ? session.close(1000, 'closed from the Handshake panel') : null;
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.sessions.values()].map((s) => s.close(1001, 'the Handshake daemon is shutting down')));
  }

  /** Every event to the editor as it arrives, then the close. */
  private async pump(sessionId: string, session: Session): Promise<void> {
    for await (const event of session.events) this.listener.event(sessionId, new Date().toISOString(), event);
    const close = await session.closed;
    this.sessions.delete(sessionId);
    this.listener.closed(sessionId, close);
  }
}
