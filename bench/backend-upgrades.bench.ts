// WebSocket upgrades per second on the local backend (JWT verified with jose, per-user slot counted,
// connection_established sent) vs bare `ws` upgrades, under the same load: 10 concurrent clients, each
// opening a connection, waiting for the upgrade to complete ('open'), closing it and opening the next, for a fixed time
// per round; the two servers alternate rounds.
import { once } from 'node:events';
import { connectClient, perSecond, startServerChild, type ServerChild } from './backend-servers';

const CLIENTS = 10;
const ROUND_MS = 1500;
const ROUNDS = 6;
const GOAL = 0.7;

interface Totals { count: number; ms: number; cpuMicros: number }

/** Connect, wait for the upgrade to complete, close (waiting for the close so the user's connection slot is free again). */
async function upgradeLoop(server: ServerChild, token: string | undefined, until: number): Promise<number> {
  let count = 0;
  while (performance.now() < until) {
    const ws = await connectClient(server, '', { token, until: 'open' });
    count++;
    const closed = once(ws, 'close');
    ws.close();
    await closed;
  }
  return count;
}

async function round(server: ServerChild, tokens: (string | undefined)[], totals?: Totals): Promise<void> {
  const cpuBefore = await server.cpu();
  const started = performance.now();
  const counts = await Promise.all(tokens.map((token) => upgradeLoop(server, token, started + ROUND_MS)));
  const ms = performance.now() - started;
  const cpuAfter = await server.cpu();
  if (!totals) return;
  totals.count += counts.reduce((a, b) => a + b, 0);
  totals.ms += ms;
  totals.cpuMicros += cpuAfter.cpuMicros - cpuBefore.cpuMicros;
}

async function main(): Promise<void> {
  const bare = await startServerChild('bare-ws');
  const backend = await startServerChild('backend');
  // Tokens are minted before timing: signing is the client's cost, verifying is the server's.
  const tokens = new Map<ServerChild, (string | undefined)[]>();
  for (const s of [bare, backend]) tokens.set(s, await Promise.all(Array.from({ length: CLIENTS }, (_, i) => s.token(`up-${i}`))));
  const totals = new Map<ServerChild, Totals>([[bare, { count: 0, ms: 0, cpuMicros: 0 }], [backend, { count: 0, ms: 0, cpuMicros: 0 }]]);
  try {
    for (const s of [bare, backend]) await round(s, tokens.get(s)!);
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of r % 2 === 0 ? [bare, backend] : [backend, bare]) await round(s, tokens.get(s)!, totals.get(s));
    }
  } finally {
    await Promise.all([bare.stop(), backend.stop()]);
  }
  const rate = (s: ServerChild) => perSecond(totals.get(s)!.count, totals.get(s)!.ms);
  const cpu = (s: ServerChild) => (totals.get(s)!.cpuMicros / totals.get(s)!.count).toFixed(0);
  console.log(`ratio upgrades-per-second backend/bare-ws: ${(rate(backend) / rate(bare)).toFixed(2)} (goal >= ${GOAL}) backend=${rate(backend)}/s bare=${rate(bare)}/s;`
    + ` server cpu per upgrade backend=${cpu(backend)}us bare=${cpu(bare)}us (${CLIENTS} clients, ${ROUNDS} alternating rounds of ${ROUND_MS} ms)`);
}

void main().catch((e: unknown) => {
  console.error(`backend-upgrades bench failed: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
