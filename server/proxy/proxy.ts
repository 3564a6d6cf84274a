// The recording proxy: listens on loopback, forwards each WebSocket handshake to the target (the client's
// path and query kept) and, once the upstream answers 101, relays the bytes both ways untouched: opcodes,
// fragmentation, ping/pong and close codes reach the other side as they were sent, and nothing waits for a
// whole message. A refusal (401, 404, 503…) comes back with its status, headers and body. FrameReader reads
// the frames as they pass, for the recorder.
import crypto from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { decodeJwt } from 'jose';
import { redactHeaders, redactText } from '../auth/redact';
import { extractToken } from '../auth/verify';
import { hostPort } from '../config/config';
import type { ConnectionEvents } from '../inspector/events';
import { DEFAULT_RECORDER_LIMITS } from '../inspector/limits';
import { spliceRecorded } from './splice';

export interface ProxyOptions {
  host: string;
  /** 0 asks the OS for a free port. */
  port: number;
  /** ws:// or wss:// origin (a path in it prefixes the client's path). */
  target: string;
  /** A private CA (PEM) for a wss:// upstream. */
  ca?: string | Buffer;
  /** Accept any upstream certificate: only when the user names it. */
  insecure?: boolean;
  events: ConnectionEvents;
  /** How long the upstream may take to answer the handshake (default 10 s). */
  handshakeTimeoutMs?: number;
}

export interface RunningProxy {
  /** host:port it listens on. */
  listen: string;
  url: string;
  target: string;
  connectionCount(): number;
  close(): Promise<void>;
}

/** Headers the proxy does not forward: Host is the upstream's own; extensions (permessage-deflate) would make recorded frames unreadable. */
const NOT_FORWARDED = new Set(['host', 'sec-websocket-extensions']);
const HANDSHAKE_TIMEOUT_MS = 10_000;
/** A refusal's body is read up to this size to forward it with an exact length. */
const MAX_REFUSAL_BODY = 1024 * 1024;

export async function startProxy(opts: ProxyOptions): Promise<RunningProxy> {
  const target = new URL(opts.target);
  if (target.protocol !== 'ws:' && target.protocol !== 'wss:') throw new Error(`--target must be a ws:// or wss:// URL (got ${opts.target})`);
  const sockets = new Set<Duplex>();
  const server = http.createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'application/json', Upgrade: 'websocket' });
    res.end(JSON.stringify({ error: 'upgrade_required', message: `a WebSocket proxy to ${target.origin}: connect with ws://` }));
  });
  let listen = '';
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    relay(req, socket, head, target, listen, opts);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  listen = hostPort(opts.host, (server.address() as AddressInfo).port);
  return {
    listen, url: `ws://${listen}`, target: target.href,
    connectionCount: () => sockets.size,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function relay(req: IncomingMessage, client: Duplex, head: Buffer, target: URL, listen: string, opts: ProxyOptions): void {
  const upstreamUrl = `${target.protocol}//${target.host}${target.pathname.replace(/\/$/, '')}${req.url ?? '/'}`;
  const userId = userOf(req);
  const base = { id: `conn_${crypto.randomUUID()}`, source: 'proxy' as const, via: listen, ...(userId ? { userId } : {}),
    target: redactText(upstreamUrl), clientAddress: `${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? ''}`, requestHeaders: redactHeaders(req.headers) };
  const headers: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (!NOT_FORWARDED.has(req.rawHeaders[i]!.toLowerCase())) headers.push(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  }
  headers.push('Host', target.host);
  const tls = target.protocol === 'wss:';
  // The same address over http(s): the handshake is an HTTP request until the upstream answers 101.
  const upstream = (tls ? https : http).request(upstreamUrl.replace(/^ws/, 'http'), {
    method: 'GET', headers, ...(tls ? { ca: opts.ca, rejectUnauthorized: !opts.insecure, servername: target.hostname } : {}),
  });
  const refuse = (status: number, error: string, message: string) => {
    const body = JSON.stringify({ error, message });
    writeResponse(client, status, http.STATUS_CODES[status] ?? '', ['Content-Type', 'application/json'], Buffer.from(body));
    opts.events.emit('handshakeRefused', { ...base, status, reason: error, body: redactText(body), at: new Date() });
  };
  const waitMs = opts.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS;
  const timer = setTimeout(() => {
    upstream.destroy();
    refuse(504, 'upstream_timeout', `${upstreamUrl} did not answer the handshake within ${waitMs} ms`);
  }, waitMs);
  const abandon = () => {
    clearTimeout(timer);
    upstream.destroy();
  };
  client.once('close', abandon);

  upstream.on('upgrade', (res: IncomingMessage, upSocket: Duplex, upHead: Buffer) => {
    clearTimeout(timer);
    // From here on the sockets are all that matters: let the request objects go (idle connections stay light).
    client.off('close', abandon);
    upstream.removeAllListeners();
    upstream.on('error', () => undefined);
    if (client.destroyed) {
      upSocket.destroy();
      return;
    }
    client.write(`HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n${headerLines(res.rawHeaders)}\r\n`);
    const protocol = res.headers['sec-websocket-protocol'];
    opts.events.emit('connectionOpened', { ...base, responseHeaders: redactHeaders(res.headers),
      ...(protocol ? { protocol: redactHeaders({ 'sec-websocket-protocol': protocol })['sec-websocket-protocol'] } : {}), at: new Date() });
    spliceRecorded(base.id, client, upSocket, head, upHead, opts.events, DEFAULT_RECORDER_LIMITS.textPerFrame);
  });

  upstream.on('response', (res: IncomingMessage) => {
    clearTimeout(timer);
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REFUSAL_BODY) chunks.push(chunk);
    });
    res.on('end', () => {
      const body = Buffer.concat(chunks);
      // The body is forwarded with an exact length (Node has already undone any chunked encoding).
      writeResponse(client, res.statusCode ?? 502, res.statusMessage ?? '', withoutFraming(res.rawHeaders), body);
      opts.events.emit('handshakeRefused', { ...base, status: res.statusCode ?? 0, reason: reasonOf(body, res.statusMessage ?? ''),
        responseHeaders: redactHeaders(res.headers), body: redactText(body.subarray(0, 4096).toString('utf8')), at: new Date() });
    });
    res.on('error', () => client.destroy());
  });

  upstream.on('error', (e: NodeJS.ErrnoException) => {
    clearTimeout(timer);
    if (client.destroyed) return;
    refuse(502, 'bad_gateway', `the proxy could not reach ${upstreamUrl}: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' '));
  });
  upstream.end();
}

function headerLines(raw: string[]): string {
  let lines = '';
  for (let i = 0; i < raw.length; i += 2) lines += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return lines;
}

/** Raw header pairs less those that frame the body or the connection (writeResponse sets its own). */
function withoutFraming(raw: string[]): string[] {
  const pairs: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!/^(transfer-encoding|content-length|connection)$/i.test(raw[i]!)) pairs.push(raw[i]!, raw[i + 1]!);
  }
  return pairs;
}

function writeResponse(socket: Duplex, status: number, statusText: string, rawHeaders: string[], body: Buffer): void {
  if (socket.destroyed) return;
  socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${status} ${statusText}\r\n${headerLines(rawHeaders)}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
}

/** The refusal's machine reason (`reason`, else `error`) from a JSON body, else the status text. */
function reasonOf(body: Buffer, statusText: string): string {
  try {
    const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const reason = json.reason ?? json.error;
    if (typeof reason === 'string') return reason;
  } catch {
    // Not JSON: the status line says it.
  }
  return statusText;
}

/** The `sub` of the client's token, read without verifying (the upstream decides; this only labels the record). */
function userOf(req: IncomingMessage): string | undefined {
  const token = extractToken(req.headers).token;
  if (!token) return undefined;
  try {
    const sub = decodeJwt(token).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}
