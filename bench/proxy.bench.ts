// The recording proxy (recording every frame, in a process of its own) in front of a bare `ws` echo server:
// echo throughput through it against straight to the same server, the latency it adds per frame, and the
// memory an idle proxied connection costs against a plain ws relay (a server-side and a client-side `ws`
// per connection: two bare ws connections), all measured in this one run.
import { once } from 'node:events';
import WebSocket from 'ws';
import {
  alternateRounds, closeClients, measure, medianRatio, perSecond, startServerChild, total, type Measured, type ServerChild,
} from './backend-servers';

const CLIENTS = 20;
const IN_FLIGHT = 4;
const MESSAGES_PER_CLIENT = 400;
const ROUNDS = 8;
const LATENCY_SAMPLES = 3000;
const IDLE_CONNECTIONS = 500;
const MESSAGE = JSON.stringify({ type: 'user_message', data: { content: 'x'.repeat(1000) } });

/** Each client keeps IN_FLIGHT echoes outstanding until it has had MESSAGES_PER_CLIENT back. */
async function echoLoad(url: string): Promise<number> {
  const clients = await Promise.all(Array.from({ length: CLIENTS }, async () => {
    const ws = new WebSocket(url);
    await once(ws, 'open');
    return ws;
  }));
  await Promise.all(clients.map((ws) => new Promise<void>((resolve) => {
    let sent = 0;
    let back = 0;
    ws.on('message', () => {
      if (++back === MESSAGES_PER_CLIENT) return resolve();
      if (sent < MESSAGES_PER_CLIENT) { ws.send(MESSAGE); sent++; }
    });
    for (; sent < IN_FLIGHT; sent++) ws.send(MESSAGE);
  })));
  await closeClients(clients);
  return CLIENTS * MESSAGES_PER_CLIENT;
}

/** Round-trip times (ms) of one client sending small frames one after another. */
async function roundTrips(url: string): Promise<number[]> {
  const ws = new WebSocket(url);
  await once(ws, 'open');
  const times: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const started = performance.now();
    const answered = once(ws, 'message');
    ws.send('{"type":"ping"}');
    await answered;
    times.push(performance.now() - started);
  }
  await closeClients([ws]);
  return times.sort((a, b) => a - b);
}

const perMessage = (m: Measured) => (m.cpuMicros / m.count).toFixed(1);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Heap + external bytes per idle connection held open through `server`. */
async function idleCost(server: ServerChild): Promise<number> {
  const before = await server.memory();
  const clients = await Promise.all(Array.from({ length: IDLE_CONNECTIONS }, async () => {
    const ws = new WebSocket(server.url);
    await once(ws, 'open');
    return ws;
  }));
  await new Promise((r) => setTimeout(r, 300));
  const after = await server.memory();
  await closeClients(clients);
  return (after.heap - before.heap) / IDLE_CONNECTIONS;
}

async function main(): Promise<void> {
  const bare = await startServerChild('bare-ws');
  const origin = bare.url.replace(/\/ws$/, '');
  const proxy = await startServerChild('proxy', origin);
  const relay = await startServerChild('ws-relay', origin);
  // The relay serves the memory comparison only: nothing loads it before.
  try {
    // The load on the bare server is the same either way; the proxy's child is the one in the middle.
    const rounds = await alternateRounds([bare, proxy], ROUNDS, (server) => measure(server, () => echoLoad(server.url)));
    const ratio = medianRatio(rounds.get(proxy)!, rounds.get(bare)!, perSecond);
    console.log(`ratio echo-throughput proxy/direct: ${ratio.toFixed(2)} (goal >= 0.85) proxy=${perSecond(total(rounds.get(proxy)!))}/s direct=${perSecond(total(rounds.get(bare)!))}/s`
      + ` (${CLIENTS} clients x ${MESSAGES_PER_CLIENT} 1 KB messages, ${IN_FLIGHT} in flight, ${ROUNDS} alternating rounds, recording on);`
      + ` cpu per echoed message: proxy=${perMessage(total(rounds.get(proxy)!))}us (relaying and recording both ways) echo server=${perMessage(total(rounds.get(bare)!))}us`);

    const direct = await roundTrips(bare.url);
    const proxied = await roundTrips(proxy.url);
    const added = (p: number) => (pct(proxied, p) - pct(direct, p)).toFixed(3);
    console.log(`added latency per frame through the proxy: p50 ${added(50)} ms (goal < 0.3), p99 ${added(99)} ms (goal < 2);`
      + ` round trip direct p50 ${pct(direct, 50).toFixed(3)} / p99 ${pct(direct, 99).toFixed(3)} ms, proxied p50 ${pct(proxied, 50).toFixed(3)} / p99 ${pct(proxied, 99).toFixed(3)} ms (${LATENCY_SAMPLES} sequential frames)`);

    // Fresh children: the recorder of the loaded proxy still holds the frames of the rounds above.
    const idleProxy = await startServerChild('proxy', origin);
    const proxyBytes = await idleCost(idleProxy);
    await idleProxy.stop();
    const relayBytes = await idleCost(relay);
    console.log(`ratio memory-per-idle-connection proxy/two-bare-ws: ${(proxyBytes / relayBytes).toFixed(2)} (goal <= 1.5) proxy=${Math.round(proxyBytes)} B`
      + ` ws-relay=${Math.round(relayBytes)} B (${IDLE_CONNECTIONS} idle connections, heap + external after GC)`);
  } finally {
    await Promise.all([bare.stop(), proxy.stop(), relay.stop()]);
  }
}

void main().catch((e: unknown) => {
  console.error(`proxy bench failed: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
