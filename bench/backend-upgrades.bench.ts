// WebSocket upgrades per second on the local backend (JWT verified with jose, per-user slot counted,
// connection_established sent) vs bare `ws` upgrades, under the same load: 10 concurrent clients, each
// opening a connection, waiting for the upgrade to complete ('open'), closing it and opening the next,
// for a fixed time per round; the servers alternate rounds.
import { once } from 'node:events';
import { alternateRounds, connectClient, cpuPerOp, measure, medianRatio, perSecond, startServerChild, total, type ServerChild } from './backend-servers';

const CLIENTS = 10;
const ROUND_MS = 750;
const ROUNDS = 12;
const GOAL = 0.7;

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

async function main(): Promise<void> {
  const bare = await startServerChild('bare-ws');
  const backend = await startServerChild('backend');
  try {
    // Tokens are minted before timing: signing is the client's cost, verifying is the server's.
    const tokens = new Map<ServerChild, (string | undefined)[]>();
    for (const s of [bare, backend]) tokens.set(s, await Promise.all(Array.from({ length: CLIENTS }, (_, i) => s.token(`up-${i}`))));
    const rounds = await alternateRounds([bare, backend], ROUNDS, (server) => measure(server, async () => {
      const until = performance.now() + ROUND_MS;
      const counts = await Promise.all(tokens.get(server)!.map((token) => upgradeLoop(server, token, until)));
      return counts.reduce((a, b) => a + b, 0);
    }));
    const ratio = medianRatio(rounds.get(backend)!, rounds.get(bare)!, perSecond);
    const b = total(rounds.get(backend)!);
    const w = total(rounds.get(bare)!);
    console.log(`ratio upgrades-per-second backend/bare-ws: ${ratio.toFixed(2)} (goal >= ${GOAL}) backend=${perSecond(b)}/s bare=${perSecond(w)}/s;`
      + ` server cpu per upgrade ${cpuPerOp(b, w)} (${CLIENTS} clients, ${ROUNDS} alternating rounds of ${ROUND_MS} ms)`);
  } finally {
    await Promise.all([bare.stop(), backend.stop()]);
  }
}

void main().catch((e: unknown) => {
  console.error(`backend-upgrades bench failed: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
