// The one recorder: subscribes to the connection-event fan-out and keeps every connection's handshake,
// close and frames within RecorderLimits (oldest out first, counted). Views, exports, the control API and
// the LSP read it; it emits 'connection' on open/refuse/close and 'frame' for every frame kept.
import { EventEmitter } from 'node:events';
import type { ConnectionDetail, ConnectionSummary, FrameRecord, RecorderTotals } from '../../$shared/protocol';
import { closeCodeMeaning } from '../../$shared/wire';
import { redactText } from '../auth/redact';
import type { ConnectionClosed, ConnectionEvents, ConnectionOpened, FrameSeen, HandshakeRefused } from './events';
import { DEFAULT_RECORDER_LIMITS, type RecorderLimits } from './limits';
import { Ring } from './ring';

interface Entry {
  summary: ConnectionSummary;
  headers: Pick<ConnectionDetail, 'requestHeaders' | 'responseHeaders' | 'protocol' | 'body'>;
  frames: Ring<FrameRecord>;
  keptBytes: number;
}

/** What one kept frame costs besides its payload (object, strings, timestamps), for the byte limits. */
const FRAME_OVERHEAD = 160;

export declare interface Recorder {
  on(event: 'connection', listener: (summary: ConnectionSummary) => void): this;
  on(event: 'frame', listener: (frame: FrameRecord) => void): this;
}

export class Recorder extends EventEmitter {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;
  private totalBytes = 0;
  private droppedConnections = 0;
  private droppedFrames = 0;
  private readonly unsubscribe: () => void;

  constructor(events: ConnectionEvents, readonly limits: RecorderLimits = DEFAULT_RECORDER_LIMITS) {
    super();
    this.unsubscribe = events.subscribe({
      connectionOpened: (e) => this.opened(e),
      handshakeRefused: (e) => this.refused(e),
      frame: (e) => this.frame(e),
      connectionClosed: (e) => this.closed(e),
    });
  }

  dispose(): void {
    this.unsubscribe();
  }

  /** Connections, newest first. */
  summaries(): ConnectionSummary[] {
    return [...this.entries.values()].map((e) => ({ ...e.summary })).reverse();
  }

  summary(id: string): ConnectionSummary | undefined {
    const entry = this.entries.get(id);
    return entry && { ...entry.summary };
  }

  detail(id: string): ConnectionDetail | undefined {
    const entry = this.entries.get(id);
    return entry && { ...entry.summary, ...entry.headers, frames: entry.frames.toArray() };
  }

  /** Every connection with its frames, oldest first (exports). */
  details(): ConnectionDetail[] {
    return [...this.entries.keys()].map((id) => this.detail(id)!);
  }

  totals(): RecorderTotals {
    let frames = 0;
    for (const e of this.entries.values()) frames += e.frames.length;
    return { connections: this.entries.size, frames, bytes: this.totalBytes, droppedConnections: this.droppedConnections, droppedFrames: this.droppedFrames };
  }

  private opened(e: ConnectionOpened): void {
    this.add(e.id, { phase: 'open', status: 101, source: e.source, target: e.target, clientAddress: e.clientAddress, openedAt: e.at.toISOString(),
      ...(e.via ? { via: e.via } : {}), ...(e.userId ? { userId: e.userId } : {}) },
    { requestHeaders: e.requestHeaders, responseHeaders: e.responseHeaders, ...(e.protocol ? { protocol: e.protocol } : {}) });
  }

  private refused(e: HandshakeRefused): void {
    const at = e.at.toISOString();
    this.add(e.id, { phase: 'refused', status: e.status, refusal: e.reason, source: e.source, target: e.target, clientAddress: e.clientAddress,
      openedAt: at, closedAt: at, ...(e.via ? { via: e.via } : {}), ...(e.userId ? { userId: e.userId } : {}) },
    { requestHeaders: e.requestHeaders, responseHeaders: e.responseHeaders ?? {}, ...(e.body ? { body: e.body } : {}) });
  }

  private add(id: string, summary: Omit<ConnectionSummary, 'id' | 'framesFromClient' | 'framesFromServer' | 'bytesFromClient' | 'bytesFromServer' | 'droppedFrames'>,
    headers: Entry['headers']): void {
    const entry: Entry = { summary: { id, ...summary, framesFromClient: 0, framesFromServer: 0, bytesFromClient: 0, bytesFromServer: 0, droppedFrames: 0 },
      headers, frames: new Ring(), keptBytes: 0 };
    this.entries.set(id, entry);
    if (this.entries.size > this.limits.connections) this.evictConnection();
    this.emit('connection', { ...entry.summary });
  }

  private frame(e: FrameSeen): void {
    const entry = this.entries.get(e.connectionId);
    if (!entry) {
      // Opened before the recorder listened: nothing to attach it to.
      this.droppedFrames++;
      return;
    }
    const s = entry.summary;
    if (e.from === 'client') {
      s.framesFromClient++;
      s.bytesFromClient += e.size;
    } else {
      s.framesFromServer++;
      s.bytesFromServer += e.size;
    }
    const record = this.record(e);
    const cost = FRAME_OVERHEAD + (record.text?.length ?? 0) + (record.base64?.length ?? 0);
    entry.frames.push(record);
    entry.keptBytes += cost;
    this.totalBytes += cost;
    while (entry.frames.length > this.limits.framesPerConnection || entry.keptBytes > this.limits.bytesPerConnection) this.dropOldestFrame(entry);
    while (this.totalBytes > this.limits.totalBytes && this.dropFromOldest()) { /* keep dropping */ }
    this.emit('frame', record);
  }

  private record(e: FrameSeen): FrameRecord {
    const keep = this.limits.textPerFrame;
    const record: FrameRecord = { seq: ++this.seq, connectionId: e.connectionId, from: e.from, at: isoTime(e.at), size: e.size, opcode: e.opcode };
    if (e.jsonType) record.jsonType = e.jsonType;
    if (e.text !== undefined) {
      // A copy, not a slice: a sliced string would keep the whole message alive.
      const cut = e.text.length > keep || e.truncated === true;
      record.text = redactText(e.text.length > keep ? Buffer.from(e.text.slice(0, keep)).toString() : e.text);
      if (cut) record.truncated = true;
    } else if (e.binary) {
      record.base64 = e.binary.subarray(0, keep).toString('base64');
      if (e.binary.length > keep || e.truncated) record.truncated = true;
    }
    return record;
  }

  private closed(e: ConnectionClosed): void {
    const entry = this.entries.get(e.id);
    if (!entry) return;
    const s = entry.summary;
    Object.assign(s, { phase: 'closed', closedAt: e.at.toISOString(), closeCode: e.code, closeReason: e.reason, closeMeaning: meaningOf(e.code, e.closedBy),
      ...(e.closedBy ? { closedBy: e.closedBy } : {}) });
    this.emit('connection', { ...s });
  }

  private dropOldestFrame(entry: Entry): void {
    const frame = entry.frames.shift();
    if (!frame) return;
    const cost = FRAME_OVERHEAD + (frame.text?.length ?? 0) + (frame.base64?.length ?? 0);
    entry.keptBytes -= cost;
    this.totalBytes -= cost;
    entry.summary.droppedFrames++;
    this.droppedFrames++;
  }

  /** One frame out of the oldest connection that has any; false when nothing is left to drop. */
  private dropFromOldest(): boolean {
    for (const entry of this.entries.values()) {
      if (entry.frames.length > 0) {
        this.dropOldestFrame(entry);
        return true;
      }
    }
    return false;
  }

  /** The oldest closed (or refused) connection goes; if every one is open, the oldest. */
  private evictConnection(): void {
    let victim: string | undefined;
    for (const [id, entry] of this.entries) {
      if (entry.summary.phase !== 'open') {
        victim = id;
        break;
      }
    }
    victim ??= this.entries.keys().next().value;
    const entry = victim === undefined ? undefined : this.entries.get(victim);
    if (!entry || victim === undefined) return;
    this.totalBytes -= entry.keptBytes;
    this.entries.delete(victim);
    this.droppedConnections++;
  }
}

// Frames come many to a millisecond under load: the same instant is written out once.
let lastMs = NaN;
let lastIso = '';

function isoTime(at: Date): string {
  const ms = at.getTime();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = at.toISOString();
  }
  return lastIso;
}

/** The close code in words; for 1006, which side dropped the connection when the source could tell. */
function meaningOf(code: number, closedBy?: string): string {
  const meaning = closeCodeMeaning(code);
  return code === 1006 && closedBy ? `${meaning} (the ${closedBy} side dropped it)` : meaning;
}
