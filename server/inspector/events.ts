// Connection events, fanned out: every source (the local backend, connections this process makes through
// wsclient, the recording proxy) reports here, and any number of subscribers (the recorder, the activity
// log, a `--follow` client, the extension) join and leave at any time. Nothing here ever holds a token:
// sources redact headers through auth/redact before they report.
import type { ConnectionDetail, ConnectionSource, ConnectionSummary, FrameRecord } from '../../$shared/protocol';

export type Opcode = FrameRecord['opcode'];
/** Which side sent the frame. */
export type FrameSender = 'client' | 'server';

/** Who, from where, to what (as the recorder's summary says it), and the handshake's headers, redacted. The
 *  target is the URL the client asked for (for the proxy: the upstream it relayed to); the client address is
 *  the peer for the backend and the proxy, the local end for a client. */
export type ConnectionOpened = Pick<ConnectionSummary, 'id' | 'source' | 'via' | 'userId' | 'target' | 'clientAddress'>
  & Pick<ConnectionDetail, 'requestHeaders' | 'responseHeaders' | 'protocol'> & { at: Date };

export interface FrameSeen {
  connectionId: string;
  from: FrameSender;
  at: Date;
  /** Payload bytes (the whole message when frames are reassembled). */
  size: number;
  opcode: Opcode;
  /** The `type` of a JSON text frame, when it has one. */
  jsonType?: string;
  /** The payload as text (a text frame, or a ping/pong payload); binary payloads are not kept as text. */
  text?: string;
  /** A binary payload (the recorder keeps a bounded copy). */
  binary?: Buffer;
  /** The source kept only the start of the payload (the proxy never holds a whole message). */
  truncated?: boolean;
}

export interface ConnectionClosed {
  id: string;
  code: number;
  reason: string;
  /** Who closed it, when the source can tell. */
  closedBy?: FrameSender | 'proxy';
  at: Date;
}

/** An upgrade answered with an HTTP error (401 with its reason, 429, 404, 503) instead of a WebSocket. */
export interface HandshakeRefused {
  id: string;
  source: ConnectionSource;
  via?: string;
  userId?: string;
  target: string;
  status: number;
  reason: string;
  requestHeaders: Record<string, string>;
  responseHeaders?: Record<string, string>;
  /** The refusal's body (cut, redacted), as the client saw it. */
  body?: string;
  clientAddress: string;
  at: Date;
}

export interface ConnectionObserver {
  connectionOpened?(event: ConnectionOpened): void;
  frame?(event: FrameSeen): void;
  connectionClosed?(event: ConnectionClosed): void;
  handshakeRefused?(event: HandshakeRefused): void;
}

type EventOf<K extends keyof ConnectionObserver> = Parameters<NonNullable<ConnectionObserver[K]>>[0];

export class ConnectionEvents {
  private observers: ConnectionObserver[] = [];
  /** True while someone listens to frames: sources describe frames only then (the hot path). */
  framesWatched = false;

  /** True while anyone listens: sources build an event (redacted headers and all) only then. */
  get watched(): boolean {
    return this.observers.length > 0;
  }

  /** Joins the fan-out; the returned function leaves it. */
  subscribe(observer: ConnectionObserver): () => void {
    this.observers = [...this.observers, observer];
    this.framesWatched = this.observers.some((o) => o.frame !== undefined);
    return () => {
      this.observers = this.observers.filter((o) => o !== observer);
      this.framesWatched = this.observers.some((o) => o.frame !== undefined);
    };
  }

  emit<K extends keyof ConnectionObserver>(key: K, event: EventOf<K>): void {
    for (const observer of this.observers) {
      const fn = observer[key] as ((e: EventOf<K>) => void) | undefined;
      if (!fn) continue;
      try {
        fn.call(observer, event);
      } catch {
        // A subscriber's failure is its own; the connection it watches keeps going.
      }
    }
  }
}

// The service's messages start with their type: read it without parsing the whole message.
const LEADING_TYPE = /^\{\s*"type"\s*:\s*"([^"\\]{1,100})"/;

/** The JSON `type` of a text payload, when it is a JSON object with one. */
export function jsonTypeOf(text: string): string | undefined {
  if (text.charCodeAt(0) !== 123 /* { */) return undefined;
  const leading = LEADING_TYPE.exec(text);
  if (leading) return leading[1];
  try {
    const value = JSON.parse(text) as { type?: unknown };
    return typeof value.type === 'string' ? value.type : undefined;
  } catch {
    return undefined;
  }
}
