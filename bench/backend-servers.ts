// The servers the backend and proxy benchmarks compare, each in a child process of its own so the load
// generator (the benchmark's process) never shares an event loop with the server it measures: the real
// local backend (JWT, schema validation, rate limit, heartbeat), the same with the inspector recording every
// frame, a bare `ws` echo server as baseline, the recording proxy in front of a target, and a plain ws relay
// (a server-side and a client-side `ws` per connection: two bare connections) in front of the same target.
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { mintToken } from '../server/auth/token';
import { startBackend } from '../server/backend/backend';
import { ConnectionEvents } from '../server/inspector/events';
import { Recorder } from '../server/inspector/recorder';
import { startProxy } from '../server/proxy/proxy';

export type ServerKind = 'backend' | 'recorded-backend' | 'bare-ws' | 'proxy' | 'ws-relay';

export interface MemoryFigures { heap: number; rss: number }

/** Server CPU time (user + system) in microseconds since it started. */
export interface CpuFigures { cpuMicros: number }

export interface ServerChild {
  kind: ServerKind;
  url: string;
  /** A token for a fresh user on the backend; undefined for the bare server, which checks none. */
  token(user: string): Promise<string | undefined>;
  /** The server's memory after two full garbage collections. */
  memory(): Promise<MemoryFigures>;
  /** The server process's CPU time so far: a steadier measure than throughput on a busy machine. */
  cpu(): Promise<CpuFigures>;
  stop(): Promise<void>;
}

type Question = 'memory' | 'cpu';

/** `target`: the ws:// origin a proxy or relay forwards to. */
export async function startServerChild(kind: ServerKind, target = ''): Promise<ServerChild> {
  // --expose-gc so memory figures are taken after a full collection, not at a random point of the heap's life;
  // BENCH_CPU_PROF=<dir> writes each server's CPU profile there, to find out why a goal is missed.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, `--cpu-prof-name=${kind}.cpuprofile`] : [];
  const child = fork(__filename, [kind, target], { execArgv: ['--expose-gc', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await nextReply<{ port: number; secret: string }>(child);
  return {
    kind,
    url: `ws://127.0.0.1:${ready.port}/ws`,
    token: async (user) => (kind.endsWith('backend') ? mintToken({ user, secret: ready.secret, ttl: '10m' }) : undefined),
    memory: () => ask<MemoryFigures>(child, 'memory'),
    cpu: () => ask<CpuFigures>(child, 'cpu'),
    stop: async () => {
      child.send('stop');
      await once(child, 'exit');
    },
  };
}

/**
 * Opens a client the way the benchmarks load a server: as `user`, or with a token minted beforehand.
 * 'greeting' also waits for the backend's connection_established, so that later messages are answers.
 */
export async function connectClient(server: ServerChild, user: string, opts: { token?: string; until?: 'open' | 'greeting' } = {}): Promise<WebSocket> {
  const bearer = opts.token ?? await server.token(user);
  const ws = new WebSocket(server.url, { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} });
  const ready = server.kind.endsWith('backend') && opts.until !== 'open' ? once(ws, 'message') : once(ws, 'open');
  await ready;
  return ws;
}

export async function closeClients(clients: WebSocket[]): Promise<void> {
  await Promise.all(clients.map(async (ws) => {
    if (ws.readyState === WebSocket.CLOSED) return;
    const closed = once(ws, 'close');
    ws.close();
    await closed;
  }));
}

/** Operations done, wall time they took, and the server's CPU time meanwhile. */
export interface Measured { count: number; ms: number; cpuMicros: number }

/** Times `work` (which resolves to how many operations it did) and reads the server's CPU around it. */
export async function measure(server: ServerChild, work: () => Promise<number>): Promise<Measured> {
  const cpuBefore = await server.cpu();
  const started = performance.now();
  const count = await work();
  const ms = performance.now() - started;
  const cpuAfter = await server.cpu();
  return { count, ms, cpuMicros: cpuAfter.cpuMicros - cpuBefore.cpuMicros };
}

/**
 * One warm-up round per server (JIT, first connections; not counted), then `rounds` rounds in which the
 * servers take turns going first, so neither gets the quieter moments of a busy machine. Each server's
 * rounds in order: round r of one server ran right next to round r of the other.
 */
export async function alternateRounds(servers: ServerChild[], rounds: number,
  round: (server: ServerChild, label: string) => Promise<Measured>): Promise<Map<ServerChild, Measured[]>> {
  const results = new Map<ServerChild, Measured[]>(servers.map((s) => [s, []]));
  for (const s of servers) await round(s, 'warm-up');
  for (let r = 0; r < rounds; r++) {
    for (const s of r % 2 === 0 ? servers : [...servers].reverse()) results.get(s)!.push(await round(s, String(r)));
  }
  return results;
}

/** All rounds of one server added up. */
export function total(rounds: Measured[]): Measured {
  return rounds.reduce((t, m) => ({ count: t.count + m.count, ms: t.ms + m.ms, cpuMicros: t.cpuMicros + m.cpuMicros }), { count: 0, ms: 0, cpuMicros: 0 });
}

/**
 * The median over rounds of `value(a[r]) / value(b[r])`: rounds run back to back compare like with like,
 * and the median ignores the rounds another process on the machine happened to disturb.
 */
export function medianRatio(a: Measured[], b: Measured[], value: (m: Measured) => number): number {
  const ratios = a.map((m, r) => value(m) / value(b[r]!)).sort((x, y) => x - y);
  const mid = Math.floor(ratios.length / 2);
  return ratios.length % 2 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
}

/** Operations per second, rounded, for the one-line reports. */
export function perSecond(m: Measured): number {
  return Math.round((m.count * 1000) / m.ms);
}

/** "backend=30.4us bare=25.8us (1.18x)": server CPU per operation, the steadier figure on a shared machine. */
export function cpuPerOp(backend: Measured, bare: Measured): string {
  const per = (m: Measured) => m.cpuMicros / m.count;
  return `backend=${per(backend).toFixed(1)}us bare=${per(bare).toFixed(1)}us (${(per(backend) / per(bare)).toFixed(2)}x)`;
}

function ask<T>(child: ChildProcess, question: Question): Promise<T> {
  child.send(question);
  return nextReply<T>(child);
}

function nextReply<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`server child exited with ${code}`));
    child.once('exit', exited);
    child.once('message', (m) => {
      child.off('exit', exited);
      resolve(m as T);
    });
  });
}

async function serve(kind: ServerKind, target: string): Promise<void> {
  const secret = crypto.randomBytes(32).toString('base64url');
  let port: number;
  let close: () => Promise<void>;
  if (kind === 'backend' || kind === 'recorded-backend') {
    const backend = await startBackend({ host: '127.0.0.1', port: 0, profile: 'development', secret });
    // Recording on: the inspector's recorder keeps every frame, as in the daemon.
    const recorder = kind === 'recorded-backend' ? new Recorder(backend.events) : undefined;
    port = backend.port;
    close = () => { recorder?.dispose(); return backend.close(); };
  } else if (kind === 'proxy') {
    const events = new ConnectionEvents();
    const recorder = new Recorder(events);
    const proxy = await startProxy({ host: '127.0.0.1', port: 0, target, events });
    port = Number(proxy.listen.split(':').at(-1));
    close = () => { recorder.dispose(); return proxy.close(); };
  } else if (kind === 'ws-relay') {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (downstream, req) => {
      const up = new WebSocket(`${target}${req.url ?? '/'}`);
      const pending: Array<[Buffer, boolean]> = [];
      downstream.on('message', (data, isBinary) => (up.readyState === WebSocket.OPEN ? up.send(data as Buffer, { binary: isBinary }) : pending.push([data as Buffer, isBinary])));
      up.on('open', () => pending.splice(0).forEach(([data, binary]) => up.send(data, { binary })));
      up.on('message', (data, isBinary) => downstream.send(data as Buffer, { binary: isBinary }));
      up.on('close', () => downstream.close());
      downstream.on('close', () => up.close());
    });
    await once(wss, 'listening');
    port = (wss.address() as AddressInfo).port;
    close = () => new Promise<void>((resolve) => { wss.clients.forEach((c) => c.terminate()); wss.close(() => resolve()); });
  } else {
    // The baseline: ws with its defaults, echoing every message, no authentication and no heartbeat.
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
    await once(wss, 'listening');
    port = (wss.address() as AddressInfo).port;
    close = () => new Promise<void>((resolve) => { wss.clients.forEach((c) => c.terminate()); wss.close(() => resolve()); });
  }
  process.on('message', (m) => {
    if (m === 'memory') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      const usage = process.memoryUsage();
      process.send?.({ heap: usage.heapUsed + usage.external, rss: usage.rss } satisfies MemoryFigures);
    } else if (m === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ cpuMicros: usage.user + usage.system } satisfies CpuFigures);
    } else if (m === 'stop') {
      void close().then(() => process.exit(0));
    }
  });
  process.send?.({ port, secret });
}

if (require.main === module) void serve(process.argv[2] as ServerKind, process.argv[3] ?? '');
