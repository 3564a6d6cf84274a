// Shared by the inspector tests: a recorded proxy in front of any upstream, small real `ws` upstreams that
// behave in chosen ways, and a client that keeps every frame it receives.
import type { TestContext } from 'node:test';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { ConnectionEvents } from '../../server/inspector/events';
import { Recorder } from '../../server/inspector/recorder';
import type { RecorderLimits } from '../../server/inspector/limits';
import { startProxy, type ProxyOptions, type RunningProxy } from '../../server/proxy/proxy';

export interface RecordedProxy { proxy: RunningProxy; events: ConnectionEvents; recorder: Recorder }

export async function recordedProxy(t: TestContext, target: string, extra: Partial<ProxyOptions> = {}, limits?: RecorderLimits): Promise<RecordedProxy> {
  const events = extra.events ?? new ConnectionEvents();
  const recorder = new Recorder(events, limits);
  const proxy = await startProxy({ host: '127.0.0.1', port: 0, target, events, ...extra });
  t.after(async () => {
    recorder.dispose();
    await proxy.close();
  });
  return { proxy, events, recorder };
}

/** A real ws server on loopback; `onConnection` decides how it behaves. */
export async function upstream(t: TestContext, onConnection: (ws: WebSocket) => void, opts: { maxPayload?: number } = {}): Promise<{ url: string; server: WebSocketServer }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: opts.maxPayload ?? 64 * 1024 * 1024 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', onConnection);
  t.after(() => new Promise<void>((resolve) => {
    for (const c of server.clients) c.terminate();
    server.close(() => resolve());
  }));
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export interface Received { data: Buffer; isBinary: boolean }

/** Opens a ws client and collects what it receives and how it closed. */
export function client(url: string, opts: WebSocket.ClientOptions & { protocols?: string[] } = {}) {
  const ws = new WebSocket(url, opts.protocols ?? [], opts);
  const received: Received[] = [];
  ws.on('message', (data, isBinary) => received.push({ data: data as Buffer, isBinary }));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { ws, received, opened, closed };
}

/** Waits until `check` holds, polling a few ms at a time, bounded. */
export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
