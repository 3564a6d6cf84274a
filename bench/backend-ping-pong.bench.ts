// Authenticated ping -> pong round trips per second through the local backend (and the same with the
// inspector recording every frame) vs a bare `ws` echo server, under the same load: 20 concurrent clients, each sending a ping and awaiting the answer before the next.
// Each round connects fresh users (the development profile allows 300 messages per user per minute, so a
// client stays under it) and the servers alternate many short rounds. Server CPU per round trip is
// printed too: it says where the time goes when the machine is shared.
import { once } from 'node:events';
import type WebSocket from 'ws';
import {
  alternateRounds, closeClients, connectClient, cpuPerOp, measure, medianRatio, perSecond, startServerChild, total, type ServerChild,
} from './backend-servers';

const CLIENTS = 20;
const PINGS_PER_CLIENT = 125;
const ROUNDS = 12;
const GOAL = 0.85;
const PING = JSON.stringify({ type: 'ping', data: {} });

async function pingLoop(ws: WebSocket): Promise<number> {
  for (let i = 0; i < PINGS_PER_CLIENT; i++) {
    const answered = once(ws, 'message');
    ws.send(PING);
    const [data] = await answered;
    // The backend answers pong, the echo server the ping itself; anything else (rate limited) voids the run.
    if (!/^\{"type":"(pong|ping)"/.test(String(data))) throw new Error(`unexpected answer to ping: ${String(data).slice(0, 200)}`);
  }
  return PINGS_PER_CLIENT;
}

/** One round: connect (untimed), then every client pings in lockstep with its answers (timed). */
async function round(server: ServerChild, label: string) {
  const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => connectClient(server, `pp-${label}-${i}`)));
  const measured = await measure(server, async () => (await Promise.all(clients.map(pingLoop))).reduce((a, b) => a + b, 0));
  await closeClients(clients);
  return measured;
}

async function main(): Promise<void> {
  const bare = await startServerChild('bare-ws');
  const backend = await startServerChild('backend');
  const recorded = await startServerChild('recorded-backend');
  try {
    const rounds = await alternateRounds([bare, backend, recorded], ROUNDS, round);
    const w = total(rounds.get(bare)!);
    for (const [server, label] of [[backend, 'backend'], [recorded, 'backend-recording']] as const) {
      const ratio = medianRatio(rounds.get(server)!, rounds.get(bare)!, perSecond);
      const b = total(rounds.get(server)!);
      console.log(`ratio ping-pong-rps ${label}/bare-ws: ${ratio.toFixed(2)} (goal >= ${GOAL}) ${label}=${perSecond(b)}/s bare=${perSecond(w)}/s;`
        + ` server cpu per round trip ${cpuPerOp(b, w)} (${CLIENTS} clients x ${PINGS_PER_CLIENT} pings, ${ROUNDS} alternating rounds, median of the per-round ratios)`);
    }
  } finally {
    await Promise.all([bare.stop(), backend.stop(), recorded.stop()]);
  }
}

void main().catch((e: unknown) => {
  console.error(`backend-ping-pong bench failed: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
