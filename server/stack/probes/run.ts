// Runs a service's probes (declared or inferred, see infer.ts) and the config's remote targets, which get
// the same probes over https/wss: the WebSocket handshake on the target's URL and GET /health on its origin.
import type { ProbeResult, TargetState } from '../../../$shared/protocol';
import { workspaceIdentity } from '../../auth/identity';
import type { HandshakeConfig, TargetConfig } from '../../config/config';
import type { AuthMode } from '../../wsclient/failure';
import type { ComposeProject, ProbeSpec } from '../compose/model';
import { probeHttp } from './http';
import { probeResult } from './result';
import { LOCAL_ROUTE, UnreachedError, type ProbeRoute, type Reach } from './route';
import { probeTcp } from './tcp';
import { probeWebSocket } from './websocket';

export const PROBE_TIMEOUT_MS = 2000;

export interface ProbeContext {
  /** Mints the JWT a WebSocket probe presents (a fresh one per probe, short-lived). */
  token(): Promise<string>;
  auth: AuthMode;
  timeoutMs?: number;
  /** Where probes connect when the engine is remote (route.ts); the local machine when unset. */
  route?: ProbeRoute;
}

/** Probes present a fresh dev JWT signed with the workspace's secret (the compose stack's own, when it has one). */
export function probeContext(config: HandshakeConfig, env: NodeJS.ProcessEnv, project: () => ComposeProject | undefined, route?: ProbeRoute): ProbeContext {
  return {
    auth: 'header',
    route,
    token: () => workspaceIdentity(config, env, project()).mint('handshake-probe', { ttl: '60s' }),
  };
}

const DEFAULT_PATH: Record<ProbeSpec['type'], string> = { tcp: '', http: '/health', 'ws-health': '/ws/health', websocket: '/ws' };

/** The URL (or host:port for TCP) a probe goes to. */
export function probeTarget(spec: ProbeSpec): string {
  if (spec.url) return spec.url;
  const host = spec.host ?? '127.0.0.1';
  if (spec.type === 'tcp') return `${host}:${spec.port}`;
  const scheme = spec.type === 'websocket' ? 'ws' : 'http';
  return `${scheme}://${host}:${spec.port}${spec.path ?? DEFAULT_PATH[spec.type]}`;
}

export async function runProbe(spec: ProbeSpec, ctx: ProbeContext): Promise<ProbeResult> {
  const timeoutMs = spec.timeoutMs ?? ctx.timeoutMs ?? PROBE_TIMEOUT_MS;
  const target = probeTarget(spec);
  const url = spec.url ? new URL(spec.url) : undefined;
  const host = url ? url.hostname : spec.host;
  const port = Number(url?.port || spec.port || (url && /^(https|wss):$/.test(url.protocol) ? 443 : 80));
  const started = performance.now();
  let reach: Reach;
  try {
    reach = await (ctx.route ?? LOCAL_ROUTE).reach(host, port);
  } catch (e) {
    const via = e instanceof UnreachedError ? { via: e.via } : {};
    return { ...probeResult(spec.type, target, false, `${spec.type} probe of ${target}: ${(e as Error).message}`, started), ...via, ...(spec.inferred ? { inferred: true } : {}) };
  }
  const connect = { ...spec, ...(url ? { url: withAddress(url, reach).toString() } : { host: reach.host, port: reach.port }) };
  let result = await probeAt(connect, probeTarget(connect), timeoutMs, ctx);
  if (reach.port !== port) {
    // Through a forward: the sentence names the port as the stack has it, not this machine's end of the tunnel.
    result = { ...result, target, detail: result.detail.split(`${reach.host}:${reach.port}`).join(`${host ?? '127.0.0.1'}:${port}`) };
  }
  return { ...result, ...(reach.via ? { via: reach.via } : {}), ...(spec.inferred ? { inferred: true } : {}) };
}

function withAddress(url: URL, reach: Reach): URL {
  const moved = new URL(url);
  moved.hostname = reach.host;
  moved.port = String(reach.port);
  return moved;
}

async function probeAt(spec: ProbeSpec, target: string, timeoutMs: number, ctx: ProbeContext): Promise<ProbeResult> {
  if (spec.type === 'tcp') {
    const url = spec.url ? new URL(spec.url) : undefined;
    return probeTcp(url?.hostname ?? spec.host ?? '127.0.0.1', Number(url?.port || spec.port), timeoutMs);
  }
  if (spec.type === 'websocket') {
    let token: string;
    try {
      token = await ctx.token();
    } catch (e) {
      return { type: 'websocket', target, ok: false, detail: `WebSocket handshake to ${target} not tried: no JWT to present (${(e as Error).message})`,
        durationMs: 0, checkedAt: new Date().toISOString() };
    }
    return probeWebSocket({ url: target, token, auth: ctx.auth, timeoutMs, expectFirstMessage: spec.expectFirstMessage });
  }
  return probeHttp(spec.type, target, spec.expectStatus ?? 200, timeoutMs);
}

export function runProbes(specs: ProbeSpec[], ctx: ProbeContext): Promise<ProbeResult[]> {
  return Promise.all(specs.map((spec) => runProbe(spec, ctx)));
}

/** A remote target (e.g. staging wss://…/ws): the handshake on its URL, and /health on its https origin. */
export async function probeRemoteTarget(name: string, target: TargetConfig, ctx: ProbeContext): Promise<TargetState> {
  const origin = new URL(target.url);
  const healthUrl = `${origin.protocol === 'wss:' ? 'https:' : 'http:'}//${origin.host}/health`;
  const probes = await Promise.all([
    // Targets are not the stack's: they are reached from this machine, whichever engine runs the stack.
    runProbe({ type: 'websocket', url: target.url }, { ...ctx, auth: target.auth, route: undefined }),
    runProbe({ type: 'http', url: healthUrl }, { ...ctx, route: undefined }),
  ]);
  return { name, url: target.url, ready: probes.every((p) => p.ok), probes };
}
