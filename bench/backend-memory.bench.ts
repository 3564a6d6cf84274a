// Memory per idle connection: the local backend (authenticated, heartbeat armed, per-user bookkeeping) vs a
// bare `ws` server. Each server runs in a child process of its own; its heap (+ external buffers) and RSS
// are read after two full GCs before and after 500 idle connections. Only the servers are measured: the
// clients live in this process and are the same for both.
import { setTimeout as sleep } from 'node:timers/promises';
import type WebSocket from 'ws';
import { closeClients, connectClient, startServerChild, type MemoryFigures, type ServerChild, type ServerKind } from './backend-servers';

const CONNECTIONS = 500;
/** Connections opened and closed before the baseline, so one-time costs (lazy compilation, JIT code) are not counted per connection. */
const WARM_UP = 50;
/** Connections opened at once: enough to be quick, few enough not to queue past the listen backlog. */
const BATCH = 50;
const GOAL = 1.5;

async function perConnection(kind: ServerKind): Promise<MemoryFigures> {
  const server = await startServerChild(kind);
  const clients: WebSocket[] = [];
  try {
    // Tokens before the baseline: minting is the client's business, not the server's memory.
    const tokens = await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => server.token(`mem-${i}`)));
    await closeClients(await openAll(server, tokens.slice(0, WARM_UP)));
    const before = await server.memory();
    clients.push(...await openAll(server, tokens));
    // Idle: let the handshakes' transient buffers go before reading.
    await sleep(500);
    const after = await server.memory();
    return { heap: (after.heap - before.heap) / CONNECTIONS, rss: (after.rss - before.rss) / CONNECTIONS };
  } finally {
    await closeClients(clients);
    await server.stop();
  }
}

async function openAll(server: ServerChild, tokens: (string | undefined)[]): Promise<WebSocket[]> {
  const clients: WebSocket[] = [];
  for (let i = 0; i < tokens.length; i += BATCH) {
    clients.push(...await Promise.all(tokens.slice(i, i + BATCH).map((token) => connectClient(server, '', { token }))));
  }
  return clients;
}

async function main(): Promise<void> {
  const bare = await perConnection('bare-ws');
  const backend = await perConnection('backend');
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)}KiB`;
  console.log(`ratio memory-per-idle-connection backend/bare-ws: ${(backend.heap / bare.heap).toFixed(2)} (goal <= ${GOAL}) heap+external backend=${kib(backend.heap)} bare=${kib(bare.heap)};`
    + ` rss backend=${kib(backend.rss)} bare=${kib(bare.rss)} (${(backend.rss / bare.rss).toFixed(2)}x) (${CONNECTIONS} connections each)`);
}

void main().catch((e: unknown) => {
  console.error(`backend-memory bench failed: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
