// The daemon's control API for the CLI (`inspect`, `export`, `status --watch`, connections made by `send`,
// `check` and `proxy` in other processes) and the editor: HTTP and WebSocket on loopback. Every request must
// carry the session token from the discovery file, name this listener in Host (DNS rebinding) and come from
// no Origin or VS Code's webview (cross-site pages). The token itself is never served.
import crypto from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { hostPort } from '../config/config';
import type { Daemon } from './daemon';
import { controlRoutes } from './control-routes';
import { followStream, ingestStream } from './control-streams';

/** What the control API serves: the daemon's recorder, fan-out, stack and description. */
export type ControlTarget = Pick<Daemon, 'events' | 'recorder' | 'stack' | 'settledStack' | 'info'>;

export interface ControlApi {
  url: string;
  close(): Promise<void>;
}

export async function startControlApi(target: ControlTarget, token: string, host = '127.0.0.1'): Promise<ControlApi> {
  let allowedHosts = new Set<string>();
  const refusal = (req: IncomingMessage): { status: number; error: string } | undefined => {
    if (!allowedHosts.has(req.headers.host ?? '')) return { status: 403, error: 'forbidden_host' };
    const origin = req.headers.origin;
    if (origin !== undefined && !origin.startsWith('vscode-webview://')) return { status: 403, error: 'forbidden_origin' };
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!m || !sameToken(m[1]!, token)) return { status: 401, error: 'unauthorized' };
    return undefined;
  };
  const routes = controlRoutes(target);
  const server = http.createServer((req, res) => {
    const refused = refusal(req);
    if (refused) return json(res, refused.status, { error: refused.error });
    routes(req, res).catch((e: Error) => json(res, 500, { error: 'internal_error', message: e.message }));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refused = refusal(req);
    const path = new URL(req.url ?? '/', 'http://control').pathname;
    const stream = path === '/v1/follow' ? followStream : path === '/v1/ingest' ? ingestStream : undefined;
    if (refused || !stream) {
      const status = refused?.status ?? 404;
      const body = JSON.stringify({ error: refused?.error ?? 'not_found' });
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => stream(ws, req, target));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([hostPort(host, port), `localhost:${port}`]);
  return {
    url: `http://${hostPort(host, port)}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(text);
}
