// Authenticated ping -> pong round trips per second through the local backend vs a bare `ws` echo server,
// under the same load: 20 concurrent clients, each sending a ping and awaiting the answer before the next.
// Each round connects fresh users (the development profile allows 300 messages per user per minute, so a
// client sends 250) and the two servers alternate, so neither gets the quieter moments of a busy machine.
// Server CPU per round trip is printed too: it says where the time goes when the machine is shared.
import { once } from 'node:events';
import type WebSocket from 'ws';
import { closeClients, connectClient, perSecond, startServerChild, type ServerChild } from './backend-servers';

const CLIENTS = 20;
const PINGS_PER_CLIENT = 250;
const ROUNDS = 6;
const GOAL = 0.85;
const PING = JSON.stringify({ type: 'ping', data: {} });

interface Totals { count: number; ms: number; cpuMicros: number }

async function pingLoop(ws: WebSocket): Promise<void> {
  for (let i = 0; i < PINGS_PER_CLIENT; i++) {
    const answered = once(ws, 'message');
    ws.send(PING);
    const [data] = await answered;
    // The backend answers pong, the echo server the ping itself; anything else (rate limited) voids the run.
    if (!/^\{"type":"(pong|ping)"/.test(String(data))) throw new Error(`unexpected answer to ping: ${String(data).slice(0, 200)}`);
  }
}

/** One timed round: connect (untimed), then every client pings in lockstep with its answers. */
async function round(server: ServerChild, label: string, totals?: Totals): Promise<void> {
  const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => connectClient(server, `pp-${label}-${i}`)));
  const cpuBefore = await server.cpu();
  const started = performance.now();
  await Promise.all(clients.map(pingLoop));
  const ms = performance.now() - started;
  const cpuAfter = await server.cpu();
  await closeClients(clients);
  if (!totals) return;
  totals.count += CLIENTS * PINGS_PER_CLIENT;
  totals.ms += ms;
  totals.cpuMicros += cpuAfter.cpuMicros - cpuBefore.cpuMicros;
}

async function main(): Promise<void> {
  const bare = await startServerChild('bare-ws');
  const backend = await startServerChild('backend');
  const totals = new Map<ServerChild, Totals>([[bare, { count: 0, ms: 0, cpuMicros: 0 }], [backend, { count: 0, ms: 0, cpuMicros: 0 }]]);
  try {
    // A warm-up round each (JIT, first connections), not counted.
    for (const s of [bare, backend]) await round(s, 'warm-up');
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of r % 2 === 0 ? [bare, backend] : [backend, bare]) await round(s, String(r), totals.get(s));
    }
  } finally {
    await Promise.all([bare.stop(), backend.stop()]);
  }
  const rate = (s: ServerChild) => perSecond(totals.get(s)!.count, totals.get(s)!.ms);
  const cpu = (s: ServerChild) => (totals.get(s)!.cpuMicros / totals.get(s)!.count).toFixed(1);
  console.log(`ratio ping-pong-rps backend/bare-ws: ${(rate(backend) / rate(bare)).toFixed(2)} (goal >= ${GOAL}) backend=${rate(backend)}/s bare=${rate(bare)}/s;`
    + ` server cpu per round trip backend=${cpu(backend)}us bare=${cpu(bare)}us (${CLIENTS} clients x ${PINGS_PER_CLIENT} pings, ${ROUNDS} alternating rounds)`);
}

void main().catch((e: unknown) => {
  console.error(`backend-ping-pong bench failed: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
