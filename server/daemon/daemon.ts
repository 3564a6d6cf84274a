// The composition root: one daemon, whichever face starts it (`handshake serve`, the extension's language
// server, `handshake proxy` when no daemon runs). It owns the workspace's identity, the one fan-out of
// connection events and the recorder on it, the local backend, recording proxies, the stack monitor, and
// the control API with its discovery file; the faces only adapt it (LSP, a terminal).
import type { Profile, StackState } from '../../$shared/protocol';
import { workspaceIdentity, type Identity } from '../auth/identity';
import { startBackend, type RunningBackend } from '../backend/backend';
import type { HandshakeConfig } from '../config/config';
import { ConnectionEvents } from '../inspector/events';
import { Recorder } from '../inspector/recorder';
import { startProxy, type ProxyOptions, type RunningProxy } from '../proxy/proxy';
import { selectEngine } from '../stack/engine/select';
import { StackMonitor } from '../stack/monitor';
import { startControlApi } from './control-api';
import { newSessionToken, publishDaemon, type DiscoveryRecord } from './discovery';

export interface DaemonOptions {
  workspace: string;
  config: HandshakeConfig;
  kind: DiscoveryRecord['kind'];
  /** Overrides of the config's backend section (`serve --port/--host/--profile`); false: no local backend (`proxy`). */
  backend?: { host?: string; port?: number; profile?: Profile } | false;
  /** The Docker context chosen for this daemon (the editor window's setting); unset: as the Docker CLI chooses. */
  dockerContext?: string;
  env?: NodeJS.ProcessEnv;
}

/** The local backend, or why it is not running. */
export type BackendSlot = { ok: true; backend: RunningBackend } | { ok: false; error: string; code?: string };

export type ProxyRequest = Omit<ProxyOptions, 'events'>;

export interface Daemon {
  readonly workspace: string;
  readonly config: HandshakeConfig;
  readonly identity: Identity;
  /** Every connection the daemon sees or makes, from every source; subscribe at any time. */
  readonly events: ConnectionEvents;
  readonly recorder: Recorder;
  /** The local backend now (Start/Stop Local Backend change it). */
  readonly backend: BackendSlot;
  /** Starts the local backend where the config (or serve's flags) put it, unless it runs. */
  startBackend(): Promise<BackendSlot>;
  /** Stops the local backend (its connections close with 1001); the slot then says it is stopped. */
  stopBackend(): Promise<void>;
  readonly proxies: readonly RunningProxy[];
  /** The control API's address (the discovery file has it too, with the session token). */
  readonly controlUrl: string;
  startProxy(request: ProxyRequest): Promise<RunningProxy>;
  /** The stack monitor, started on first use (the editor asks at once; `serve` when a client asks). */
  stack(): StackMonitor;
  /** The stack state once the monitor's first load has settled. */
  settledStack(): Promise<StackState>;
  info(): Record<string, unknown>;
  close(): Promise<void>;
}

export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const { config, workspace } = opts;
  const env = opts.env ?? process.env;
  const identity = workspaceIdentity(config, env);
  const events = new ConnectionEvents();
  const recorder = new Recorder(events);
  const where = opts.backend === false ? undefined : opts.backend;
  const openBackend = () => startBackendSlot(where?.host ?? config.backend.host, where?.port ?? config.backend.port, where?.profile ?? config.profile, identity, events);
  let backend: BackendSlot = opts.backend === false ? { ok: false, error: 'this daemon runs no local backend' } : await openBackend();
  const proxies: RunningProxy[] = [];
  let monitor: StackMonitor | undefined;
  let firstState: Promise<StackState> | undefined;
  const startedAt = new Date().toISOString();
  const token = newSessionToken();

  const stack = () => {
    if (!monitor) {
      monitor = new StackMonitor({ workspace, config, env, watchFiles: true, engine: selectEngine({ context: opts.dockerContext, config }, env) });
      // Not awaited here: the first state may take a probe timeout to settle; readers get 'change' events.
      firstState = monitor.start();
    }
    return monitor;
  };
  const settledStack = () => {
    stack();
    return firstState!;
  };
  const info = () => ({
    pid: process.pid, kind: opts.kind, workspace, startedAt,
    backend: backend.ok ? { wsUrl: backend.backend.wsUrl, httpUrl: backend.backend.httpUrl, profile: backend.backend.profile } : { error: backend.error },
    proxies: proxies.map((p) => ({ listen: p.listen, target: p.target })),
    recorder: { limits: recorder.limits, totals: recorder.totals() },
  });
  const control = await startControlApi({ events, recorder, stack, settledStack, info }, token);
  const discovery = publishDaemon({ pid: process.pid, controlUrl: control.url, token, workspace, kind: opts.kind, startedAt }, env);

  return {
    workspace, config, identity, events, recorder, proxies, controlUrl: control.url, stack, settledStack, info,
    get backend() {
      return backend;
    },
    async startBackend() {
      if (!backend.ok) backend = await openBackend();
      return backend;
    },
    async stopBackend() {
      if (!backend.ok) return;
      const running = backend.backend;
      backend = { ok: false, error: 'the local backend was stopped (Start Local Backend starts it again)' };
      await running.close();
    },
    async startProxy(request) {
      const proxy = await startProxy({ ...request, events });
      proxies.push(proxy);
      return proxy;
    },
    async close() {
      discovery.remove();
      recorder.dispose();
      await Promise.allSettled([control.close(), backend.ok ? backend.backend.close() : undefined, monitor?.stop(), ...proxies.map((p) => p.close())]);
    },
  };
}

async function startBackendSlot(host: string, port: number, profile: Profile, identity: Identity, events: ConnectionEvents): Promise<BackendSlot> {
  try {
    return { ok: true, backend: await startBackend({ host, port, profile, ...identity.verifyOptions, events }) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const error = code === 'EADDRINUSE' ? `${host}:${port} is already in use (another handshake serve or editor window?); pick another port with --port N or backend.port in handshake.config.json`
      : code === 'EADDRNOTAVAIL' || code === 'EACCES' ? `cannot listen on ${host}:${port} (${code})` : (e as Error).message;
    return { ok: false, error, ...(code ? { code } : {}) };
  }
}
