// Reads RFC 6455 frames out of a byte stream the proxy forwards untouched: it never holds a whole message,
// only each frame's header and, while someone records, the first `keep` payload bytes (unmasked). It also
// tells whether the stream stands at a frame boundary, where the proxy may add a close frame of its own.

export interface FrameHead {
  fin: boolean;
  opcode: number;
  /** The frame's full payload length. */
  length: number;
}

export interface ReadFrame extends FrameHead {
  /** The first bytes of the payload, unmasked (all of it for control frames, which are at most 125 bytes). */
  kept: Buffer;
}

export const OPCODE = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

export class FrameReader {
  private header = Buffer.alloc(0);
  private head: FrameHead | undefined;
  private mask: Buffer | undefined;
  private offset = 0;
  private keepUpTo = 0;
  private kept: Buffer[] = [];

  /** `keep(head)`: how many payload bytes of this frame to keep (0 when nobody records). */
  constructor(private readonly keep: (head: FrameHead) => number, private readonly onFrame: (frame: ReadFrame) => void) {}

  get atBoundary(): boolean {
    return this.head === undefined && this.header.length === 0;
  }

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (!this.head) {
        const used = this.readHeader(chunk, at);
        if (used < 0) return;
        at = used;
        if (this.head!.length === 0) this.finish();
        continue;
      }
      const take = Math.min(chunk.length - at, this.head.length - this.offset);
      if (this.offset < this.keepUpTo) {
        const part = Buffer.from(chunk.subarray(at, at + Math.min(take, this.keepUpTo - this.offset)));
        if (this.mask) for (let i = 0; i < part.length; i++) part[i]! ^= this.mask[(this.offset + i) & 3]!;
        this.kept.push(part);
      }
      this.offset += take;
      at += take;
      if (this.offset === this.head.length) this.finish();
    }
  }

  /** Takes header bytes from the chunk; returns where the payload starts, or -1 when more bytes are needed. */
  private readHeader(chunk: Buffer, at: number): number {
    const before = this.header.length;
    const buf = before ? Buffer.concat([this.header, chunk.subarray(at, at + 14)]) : chunk.subarray(at);
    if (buf.length < 2) return this.wait(buf);
    const masked = (buf[1]! & 0x80) !== 0;
    const short = buf[1]! & 0x7f;
    const extra = short === 126 ? 2 : short === 127 ? 8 : 0;
    const size = 2 + extra + (masked ? 4 : 0);
    if (buf.length < size) return this.wait(buf);
    const length = short === 126 ? buf.readUInt16BE(2) : short === 127 ? Number(buf.readBigUInt64BE(2)) : short;
    this.head = { fin: (buf[0]! & 0x80) !== 0, opcode: buf[0]! & 0x0f, length };
    this.mask = masked ? Buffer.from(buf.subarray(2 + extra, size)) : undefined;
    this.offset = 0;
    this.keepUpTo = this.head.opcode >= OPCODE.close ? length : Math.min(length, this.keep(this.head));
    this.kept = [];
    this.header = Buffer.alloc(0);
    return at + size - before;
  }

  /** Keeps a partial header (at most 13 bytes) for the next chunk. */
  private wait(buf: Buffer): number {
    this.header = Buffer.from(buf);
    return -1;
  }

  private finish(): void {
    const head = this.head!;
    this.head = undefined;
    this.onFrame({ ...head, kept: this.kept.length === 1 ? this.kept[0]! : Buffer.concat(this.kept) });
    this.kept = [];
  }
}

/** A close frame's payload: code (1005 when absent) and reason. */
export function closePayload(payload: Buffer): { code: number; reason: string } {
  return payload.length >= 2 ? { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString('utf8') } : { code: 1005, reason: '' };
}

/** A close frame of the proxy's own; frames towards a server must be masked (RFC 6455 5.3). */
export function closeFrame(code: number, reason: string, masked: boolean): Buffer {
  const payload = Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason.slice(0, 120), 'utf8')]);
  const mask = masked ? Buffer.from([0x37, 0xfa, 0x21, 0x3d]) : undefined;
  if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
  return Buffer.concat([Buffer.from([0x88, (masked ? 0x80 : 0) | payload.length]), mask ?? Buffer.alloc(0), payload]);
}
