// One authenticated WebSocket connection: greets the client, counts its frames against the user's rate
// limit, validates and dispatches messages, keeps the heartbeat, and frees everything when it closes.
import type { WebSocket, RawData } from 'ws';
import { AGENT_EVENTS, RATE_LIMIT_EVENT, type ClientMessage, type Limits, type ServerEvent } from '../../$shared/wire';
import { AgentRun } from './agent-run';
import { makeEvent, NO_RUN, readFrame } from './messages';
import type { ConnectionEvents, FrameSeen, Opcode } from '../inspector/events';
import type { RateLimiter } from './rate-limit';

/** What a session needs from the backend that owns it. */
export interface SessionHost {
  readonly limits: Limits;
  readonly profile: string;
  readonly limiter: RateLimiter;
  readonly events: ConnectionEvents;
  /** Every connection of one user (run events go to all of them, and to no one else). */
  sessionsOf(userId: string): Iterable<Session>;
  sessionClosed(session: Session): void;
}

/** Heartbeats a client may miss before it is cut off. */
const MISSED_HEARTBEATS_ALLOWED = 2;

export class Session {
  /** Runs started on this connection (few at a time; an array keeps idle connections light). */
  runs: AgentRun[] = [];
  private missedHeartbeats = 0;
  private closeReason: string | undefined;
  private closedBy: 'client' | 'server' = 'client';

  constructor(readonly id: string, readonly userId: string, private readonly ws: WebSocket, private readonly host: SessionHost) {
    sessionOf.set(ws, this);
    ws.on('message', onMessage);
    ws.on('pong', onPong);
    // ws reports oversized frames (it closes 1009 itself) and socket faults here; without a listener they would throw.
    ws.on('error', ignoreError);
    ws.on('close', onClose);
    this.send(makeEvent('connection_established', userId, NO_RUN, {
      connection_id: id, user_id: userId, events: [...AGENT_EVENTS], limits: host.limits, profile: host.profile,
    }));
  }

  send(event: ServerEvent): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const text = JSON.stringify(event);
    this.ws.send(text);
    if (this.host.events.framesWatched) this.seen('server', 'text', Buffer.byteLength(text), text, event.type);
  }

  /** Called on every heartbeat tick: ping, or cut off a client that did not answer the last two. */
  heartbeat(): void {
    if (this.missedHeartbeats >= MISSED_HEARTBEATS_ALLOWED) {
      this.closeReason = `missed ${MISSED_HEARTBEATS_ALLOWED} heartbeats`;
      this.closedBy = 'server';
      this.ws.terminate();
      return;
    }
    this.missedHeartbeats++;
    this.ws.ping();
    if (this.host.events.framesWatched) this.seen('server', 'ping', 0);
  }

  close(code: number, reason: string): void {
    this.closeReason = reason;
    this.closedBy = 'server';
    this.ws.close(code, reason);
  }

  /** Drops the socket without a close handshake (shutdown of a client that does not answer). */
  terminate(): void {
    this.closedBy = 'server';
    this.ws.terminate();
  }

  /** A heartbeat answer: the client is alive. */
  pong(size: number): void {
    this.missedHeartbeats = 0;
    if (this.host.events.framesWatched) this.seen('client', 'pong', size);
  }

  receive(payload: Buffer, isBinary: boolean): void {
    const intake = readFrame(payload, isBinary);
    if (this.host.events.framesWatched) this.seen('client', isBinary ? 'binary' : 'text', payload.length, isBinary ? undefined : payload.toString('utf8'), intake.ok ? intake.message.type : undefined, isBinary ? payload : undefined);
    const quota = this.host.limiter.take(this.userId);
    if (!quota.allowed) {
      const limit = this.host.limits.messages_per_minute;
      this.send(makeEvent(RATE_LIMIT_EVENT, this.userId, NO_RUN, {
        code: 'rate_limit_exceeded', retryable: true, limit, retry_after_ms: quota.retryAfterMs,
        message: `more than ${limit} messages per minute for this user (${this.host.profile} profile); the message was dropped`,
      }));
      return;
    }
    if (!intake.ok) return this.send(makeEvent('validation_error', this.userId, NO_RUN, intake.error));
    try {
      this.dispatch(intake.message);
    } catch (e) {
      // A bug in handling one message must not take the connection (or the server) down.
      this.send(makeEvent('system_error', this.userId, NO_RUN, { code: 'internal_error', message: `internal failure: ${(e as Error).message}`, retryable: true }));
    }
  }

  private dispatch(message: ClientMessage): void {
    switch (message.type) {
      case 'ping':
        return this.send(makeEvent('pong', this.userId, NO_RUN, { echo: message.data ?? {} }));
      case 'stop_agent':
        return this.stopRun(message.run_id ?? message.data?.run_id);
      case 'start_agent':
      case 'user_message':
        return this.startRun(message);
    }
  }

  private startRun(message: Extract<ClientMessage, { type: 'start_agent' | 'user_message' }>): void {
    if (message.run_id && this.findRun(message.run_id)) {
      return this.send(makeEvent('validation_error', this.userId, NO_RUN, { code: 'duplicate_run_id', message: `run ${message.run_id} is already running`, retryable: false }));
    }
    const run = new AgentRun(this.userId, message.data, { runId: message.run_id, threadId: message.thread_id }, (event) => {
      for (const session of this.host.sessionsOf(this.userId)) session.send(event);
    });
    this.runs.push(run);
    void run.execute().finally(() => { this.runs = this.runs.filter((r) => r !== run); });
  }

  private stopRun(runId: string | undefined): void {
    const targets = runId ? [this.findRun(runId)].filter((r) => r !== undefined) : [...this.runs];
    if (targets.length === 0) {
      return this.send(makeEvent('validation_error', this.userId, NO_RUN, { code: 'unknown_run', message: runId ? `no run ${runId} is running for this user` : 'this connection has no run to stop', retryable: false }));
    }
    for (const run of targets) run.stop('stopped');
  }

  /** A run of this user, started on any of their connections (never another user's). */
  private findRun(runId: string): AgentRun | undefined {
    for (const session of this.host.sessionsOf(this.userId)) {
      const run = session.runs.find((r) => r.context.runId === runId);
      if (run) return run;
    }
    return undefined;
  }

  /** The socket closed (either side): stop its runs, report the close, give the slot back. */
  closed(code: number, reason: string): void {
    reason = this.closeReason ?? reason;
    for (const run of this.runs) run.stop('dropped');
    this.runs = [];
    this.host.events.emit('connectionClosed', { id: this.id, code, reason, closedBy: this.closedBy, at: new Date() });
    this.host.sessionClosed(this);
  }

  private seen(from: 'client' | 'server', opcode: Opcode, size: number, text?: string, jsonType?: string, binary?: Buffer): void {
    const frame: FrameSeen = { connectionId: this.id, from, at: new Date(), size, opcode };
    if (jsonType) frame.jsonType = jsonType;
    if (text !== undefined) frame.text = text;
    if (binary) frame.binary = binary;
    this.host.events.emit('frame', frame);
  }
}

// Listeners shared by every connection, so an idle connection carries no closures of its own.
const sessionOf = new WeakMap<WebSocket, Session>();

function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  sessionOf.get(this)?.receive(toBuffer(data), isBinary);
}

function onPong(this: WebSocket, data: Buffer): void {
  sessionOf.get(this)?.pong(data.length);
}

function onClose(this: WebSocket, code: number, reason: Buffer): void {
  const session = sessionOf.get(this);
  sessionOf.delete(this);
  session?.closed(code, reason.toString('utf8'));
}

function ignoreError(): void {}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}
