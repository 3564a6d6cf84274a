// After both handshakes: bytes flow client <-> upstream as they come (with backpressure), while a FrameReader
// per direction reports each message, ping, pong and the close to the connection-event fan-out. When one side
// vanishes without a close frame, the other gets a close frame of the proxy's own (at a frame boundary) that
// says so, and the record says which side dropped the connection.
import type { Duplex } from 'node:stream';
import { jsonTypeOf, type ConnectionEvents, type FrameSender } from '../inspector/events';
import { closeFrame, closePayload, FrameReader, OPCODE, type ReadFrame } from './frame-reader';

/** How long a side that was told to close may take before its socket is cut. */
const CLOSE_GRACE_MS = 1_000;

export function spliceRecorded(id: string, client: Duplex, upstream: Duplex, clientHead: Buffer, upstreamHead: Buffer,
  events: ConnectionEvents, keepBytes: number): void {
  let close: { code: number; reason: string; by: FrameSender } | undefined;
  let droppedBy: FrameSender | undefined;
  let open = 2;

  const reader = (from: FrameSender) => {
    // A message in progress: its opcode, full size so far and the bytes kept of it.
    let message: { opcode: number; size: number; kept: Buffer[]; keptLength: number } | undefined;
    const report = (opcode: number, size: number, payload: Buffer, complete: boolean) => {
      if (!events.framesWatched) return;
      const binary = opcode === OPCODE.binary;
      const text = binary ? undefined : payload.toString('utf8');
      const jsonType = opcode === OPCODE.text && complete && text ? jsonTypeOf(text) : undefined;
      events.emit('frame', { connectionId: id, from, at: new Date(), size, opcode: opcode === OPCODE.ping ? 'ping' : opcode === OPCODE.pong ? 'pong' : binary ? 'binary' : 'text',
        ...(jsonType ? { jsonType } : {}), ...(binary ? { binary: payload } : { text }), ...(complete ? {} : { truncated: true }) });
    };
    const onFrame = (f: ReadFrame) => {
      if (f.opcode === OPCODE.close) {
        // The first close frame decides; an answer to the proxy's own close frame (after a drop) does not.
        if (!close && !droppedBy) close = { ...closePayload(f.kept), by: from };
      } else if (f.opcode === OPCODE.ping || f.opcode === OPCODE.pong) {
        report(f.opcode, f.length, f.kept, true);
      } else {
        message = f.opcode === OPCODE.continuation && message ? message : { opcode: f.opcode, size: 0, kept: [], keptLength: 0 };
        message.size += f.length;
        message.kept.push(f.kept);
        message.keptLength += f.kept.length;
        if (f.fin) {
          report(message.opcode, message.size, Buffer.concat(message.kept), message.keptLength === message.size);
          message = undefined;
        }
      }
    };
    // Keep at most keepBytes of a whole message, across its fragments, and nothing while nobody records.
    return new FrameReader((head) => (events.framesWatched ? Math.max(0, keepBytes - (head.opcode === OPCODE.continuation ? message?.keptLength ?? 0 : 0)) : 0), onFrame);
  };
  const fromClient = reader('client');
  const fromServer = reader('server');

  const pipe = (source: Duplex, sink: Duplex, frames: FrameReader) => {
    source.on('data', (chunk: Buffer) => {
      frames.push(chunk);
      if (!sink.write(chunk)) source.pause();
    });
    sink.on('drain', () => source.resume());
  };
  pipe(client, upstream, fromClient);
  pipe(upstream, client, fromServer);
  if (clientHead.length) {
    fromClient.push(clientHead);
    upstream.write(clientHead);
  }
  if (upstreamHead.length) {
    fromServer.push(upstreamHead);
    client.write(upstreamHead);
  }

  const ended = (side: FrameSender, own: Duplex, other: Duplex, towardsOther: FrameReader) => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      sideEnded(side, own, other, towardsOther);
    };
  };
  const sideEnded = (side: FrameSender, own: Duplex, other: Duplex, towardsOther: FrameReader) => {
    if (!close && !droppedBy) {
      droppedBy = side;
      // Tell the other side why, in a frame of its own, if its stream stands between frames.
      const [code, reason] = side === 'server' ? [1014, 'upstream dropped the connection (handshake proxy)'] : [1001, 'client dropped the connection (handshake proxy)'];
      if (!other.destroyed && towardsOther.atBoundary) other.write(closeFrame(code, reason, side === 'client'));
    }
    own.end();
    other.end();
    setTimeout(() => other.destroy(), CLOSE_GRACE_MS).unref();
    if (--open === 0) {
      events.emit('connectionClosed', close
        ? { id, code: close.code, reason: close.reason, closedBy: close.by, at: new Date() }
        : { id, code: 1006, reason: `${droppedBy} dropped the TCP connection without a close frame`, closedBy: droppedBy ?? side, at: new Date() });
    }
  };
  // The proxy's close frame joins the byte stream going to the other side: it must land between frames.
  // 'end' as well as 'close': the http server's sockets allow half-open connections, so a FIN alone closes nothing.
  const clientEnded = ended('client', client, upstream, fromClient);
  const upstreamEnded = ended('server', upstream, client, fromServer);
  client.once('end', clientEnded).once('close', clientEnded);
  upstream.once('end', upstreamEnded).once('close', upstreamEnded);
  upstream.on('error', () => upstream.destroy());
}
