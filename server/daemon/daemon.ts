// The composition root: one daemon, whichever face starts it (`handshake serve`, the extension's language
// server, `handshake proxy` when no daemon runs). It owns the workspace's identity, the one fan-out of
// connection events, the local backend and the stack monitor; the faces only adapt it (LSP, a terminal).
import type { Profile } from '../../$shared/protocol';
import { workspaceIdentity, type Identity } from '../auth/identity';
import { startBackend, type RunningBackend } from '../backend/backend';
import type { HandshakeConfig } from '../config/config';
import { ConnectionEvents } from '../inspector/events';
import { StackMonitor } from '../stack/monitor';

export interface DaemonOptions {
  workspace: string;
  config: HandshakeConfig;
  /** Overrides of the config's backend section (`serve --port/--host/--profile`). */
  backend?: { host?: string; port?: number; profile?: Profile };
  env?: NodeJS.ProcessEnv;
}

/** The local backend, or why it could not start (most often: another daemon holds the port). */
export type BackendSlot = { ok: true; backend: RunningBackend } | { ok: false; error: string; code?: string };

export interface Daemon {
  readonly workspace: string;
  readonly config: HandshakeConfig;
  readonly identity: Identity;
  /** Every connection the daemon sees or makes, from every source; subscribe at any time. */
  readonly events: ConnectionEvents;
  readonly backend: BackendSlot;
  /** The stack monitor, started on first use (the editor asks at once; `serve` when a client asks). */
  stack(): StackMonitor;
  close(): Promise<void>;
}

export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const { config, workspace } = opts;
  const env = opts.env ?? process.env;
  const identity = workspaceIdentity(config, env);
  const events = new ConnectionEvents();
  const host = opts.backend?.host ?? config.backend.host;
  const port = opts.backend?.port ?? config.backend.port;
  const backend = await startBackendSlot(host, port, opts.backend?.profile ?? config.profile, identity, events);
  let monitor: StackMonitor | undefined;
  return {
    workspace, config, identity, events, backend,
    stack() {
      if (!monitor) {
        monitor = new StackMonitor({ workspace, config, env, watchFiles: true });
        // Not awaited: the first state may take a probe timeout to settle; readers get 'change' events.
        void monitor.start();
      }
      return monitor;
    },
    async close() {
      await Promise.allSettled([backend.ok ? backend.backend.close() : undefined, monitor?.stop()]);
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
