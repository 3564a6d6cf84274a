// The backend's plain HTTP side on the WebSocket's port: health for probes, the client configuration, and
// JSON answers for everything else (including upgrade refusals, which go out on the raw socket).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Profile } from '../../$shared/protocol';
import { AGENT_EVENTS, ERROR_EVENTS, RATE_LIMIT_EVENT, type Limits } from '../../$shared/wire';
import { TOKEN_PROTOCOLS } from '../auth/verify';

export interface BackendState {
  readonly wsUrl: string;
  readonly profile: Profile;
  readonly limits: Limits;
  readonly authMode: 'HS256' | 'JWKS';
  readonly startedAt: number;
  /** False while starting or shutting down: /ws/health answers 503 and upgrades are refused. */
  readonly accepting: boolean;
  connectionCount(): number;
}

export function handleHttp(req: IncomingMessage, res: ServerResponse, state: BackendState): void {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method_not_allowed', message: `${req.method} is not served; use GET` }, { Allow: 'GET, HEAD' });
  switch (path) {
    case '/health':
      return sendJson(res, 200, { status: 'healthy', service: 'handshake-local-backend', profile: state.profile, uptime_s: Math.round((Date.now() - state.startedAt) / 1000) });
    case '/ws/health':
      return state.accepting
        ? sendJson(res, 200, { status: 'healthy', connections: state.connectionCount(), profile: state.profile, timestamp: new Date().toISOString() })
        : sendJson(res, 503, { status: 'unhealthy', error: 'service_not_ready', message: 'the WebSocket service is shutting down and accepts no new connections' });
    case '/ws/config':
      return sendJson(res, 200, wsConfig(state));
    case '/ws':
      return sendJson(res, 426, { error: 'upgrade_required', message: 'this is the WebSocket endpoint: connect with a WebSocket client and a JWT (see /ws/config)' }, { Upgrade: 'websocket' });
    default:
      return sendJson(res, 404, { error: 'not_found', message: `nothing at ${path}; try /health, /ws/health, /ws/config or a WebSocket on /ws` });
  }
}

function wsConfig(state: BackendState) {
  return {
    endpoint: state.wsUrl,
    path: '/ws',
    auth: {
      methods: ['header', 'subprotocol'],
      header: 'Authorization: Bearer <jwt>',
      subprotocols: TOKEN_PROTOCOLS.map((p) => `${p}.<jwt or base64url(jwt)>`),
      algorithm: state.authMode,
    },
    profile: state.profile,
    limits: state.limits,
    heartbeat_interval_ms: state.limits.heartbeat_interval_ms,
    events: [...AGENT_EVENTS],
    error_events: [...ERROR_EVENTS, RATE_LIMIT_EVENT],
    client_messages: ['start_agent', 'user_message', 'stop_agent', 'ping'],
    server_time: new Date().toISOString(),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** Answers an upgrade request with a plain HTTP error before any WebSocket exists, then closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  const text = JSON.stringify(body);
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(text)}`,
    'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}
