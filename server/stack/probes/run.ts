// Runs a service's probes (declared or inferred, see infer.ts) and the config's remote targets, which get
// the same probes over https/wss: the WebSocket handshake on the target's URL and GET /health on its origin.
import type { ProbeResult, TargetState } from '../../../$shared/protocol';
import { workspaceIdentity } from '../../auth/identity';
import type { HandshakeConfig, TargetConfig } from '../../config/config';
import type { AuthMode } from '../../wsclient/failure';
import type { ComposeProject, ProbeSpec } from '../compose/model';
import { probeHttp } from './http';
import { probeTcp } from './tcp';
import { probeWebSocket } from './websocket';

export const PROBE_TIMEOUT_MS = 2000;

export interface ProbeContext {
  /** Mints the JWT a WebSocket probe presents (a fresh one per probe, short-lived). */
  token(): Promise<string>;
  auth: AuthMode;
  timeoutMs?: number;
}

/** Probes present a fresh dev JWT signed with the workspace's secret (the compose stack's own, when it has one). */
export function probeContext(config: HandshakeConfig, env: NodeJS.ProcessEnv, project: () => ComposeProject | undefined): ProbeContext {
  return {
    auth: 'header',
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
  let result: ProbeResult;
  if (spec.type === 'tcp') {
    const url = spec.url ? new URL(spec.url) : undefined;
    result = await probeTcp(url?.hostname ?? spec.host ?? '127.0.0.1', Number(url?.port || spec.port), timeoutMs);
  } else if (spec.type === 'websocket') {
    let token: string;
    try {
      token = await ctx.token();
    } catch (e) {
      return { type: 'websocket', target, ok: false, detail: `WebSocket handshake to ${target} not tried: no JWT to present (${(e as Error).message})`,
        durationMs: 0, checkedAt: new Date().toISOString() };
    }
    result = await probeWebSocket({ url: target, token, auth: ctx.auth, timeoutMs, expectFirstMessage: spec.expectFirstMessage });
  } else {
    result = await probeHttp(spec.type, target, spec.expectStatus ?? 200, timeoutMs);
  }
  return spec.inferred ? { ...result, inferred: true } : result;
}

export function runProbes(specs: ProbeSpec[], ctx: ProbeContext): Promise<ProbeResult[]> {
  return Promise.all(specs.map((spec) => runProbe(spec, ctx)));
}

/** A remote target (e.g. staging wss://…/ws): the handshake on its URL, and /health on its https origin. */
export async function probeRemoteTarget(name: string, target: TargetConfig, ctx: ProbeContext): Promise<TargetState> {
  const origin = new URL(target.url);
  const healthUrl = `${origin.protocol === 'wss:' ? 'https:' : 'http:'}//${origin.host}/health`;
  const probes = await Promise.all([
    runProbe({ type: 'websocket', url: target.url }, { ...ctx, auth: target.auth }),
    runProbe({ type: 'http', url: healthUrl }, ctx),
  ]);
  return { name, url: target.url, ready: probes.every((p) => p.ok), probes };
}
