// Which Docker Engine to read, chosen the way the Docker CLI chooses it: an explicit context (`--context`, or
// the extension's per-window setting), DOCKER_HOST, DOCKER_CONTEXT, the workspace's `docker.context`, the
// current context in the CLI's config.json, else the default socket. Contexts are read from the CLI's own
// store (DOCKER_CONFIG, else ~/.docker): contexts/meta/<sha256 of the name>/meta.json and, for TLS,
// contexts/tls/<same>/docker/{ca,cert,key}.pem, exactly as `docker context create` writes them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HandshakeConfig } from '../../config/config';

export const DEFAULT_SOCKET = 'unix:///var/run/docker.sock';

export interface EngineTarget {
  /** The Docker context's name; 'default' is DOCKER_HOST's engine, or the platform socket. */
  context: string;
  /** What chose it, for messages: '--context', 'DOCKER_CONTEXT', 'handshake.config.json docker.context', ... */
  source: string;
  /** The endpoint: unix:///…, tcp://host:port or ssh://[user@]host[:port]. */
  host: string;
  /** TLS for tcp://: the folder holding ca.pem, cert.pem and key.pem (each optional), and whether the engine's certificate is checked. */
  tls?: { certPath: string; verify: boolean };
  /** Why this choice cannot be used (no such context, a malformed meta.json): the engine state says it. */
  error?: string;
}

export interface EngineChoice {
  /** The context named for this run: `--context` on a verb, or the extension's `handshake.docker.context`. */
  context?: string;
  /** The workspace's config, for `docker.context`. */
  config?: HandshakeConfig;
}

/** The Docker CLI's config folder. */
export function dockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
}

export function selectEngine(choice: EngineChoice = {}, env: NodeJS.ProcessEnv = process.env): EngineTarget {
  // The Docker CLI's order (cli/command/cli.go resolveContextName), with the workspace's choice placed
  // above the user's global current context and below anything set for this shell.
  const configured = (choice.config?.raw.docker as { context?: string } | undefined)?.context;
  if (choice.context) return fromContext(choice.context, '--context', env);
  if (env.DOCKER_HOST) return fromEnv(env, 'DOCKER_HOST');
  if (env.DOCKER_CONTEXT) return fromContext(env.DOCKER_CONTEXT, 'DOCKER_CONTEXT', env);
  if (configured) return fromContext(configured, 'handshake.config.json docker.context', env);
  const current = currentContext(env);
  if (current) return fromContext(current, `the current context in ${path.join(dockerConfigDir(env), 'config.json')}`, env);
  return fromEnv(env, 'the default');
}

/** The 'default' context: DOCKER_HOST (with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH), else the platform socket. */
function fromEnv(env: NodeJS.ProcessEnv, source: string): EngineTarget {
  const host = env.DOCKER_HOST || DEFAULT_SOCKET;
  // As the Docker client's FromEnv: a cert path turns TLS on; DOCKER_TLS_VERIFY (any value) checks the engine's certificate.
  const tlsOn = host.startsWith('tcp://') && (env.DOCKER_TLS_VERIFY || env.DOCKER_CERT_PATH);
  const tls = tlsOn ? { certPath: env.DOCKER_CERT_PATH || dockerConfigDir(env), verify: Boolean(env.DOCKER_TLS_VERIFY) } : undefined;
  return { context: 'default', source, host, ...(tls ? { tls } : {}) };
}

function fromContext(name: string, source: string, env: NodeJS.ProcessEnv): EngineTarget {
  if (name === 'default') return fromEnv(env, source);
  const store = path.join(dockerConfigDir(env), 'contexts');
  const id = crypto.createHash('sha256').update(name).digest('hex');
  const metaFile = path.join(store, 'meta', id, 'meta.json');
  const failed = (error: string): EngineTarget => ({ context: name, source, host: '', error });
  let meta: { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } };
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as typeof meta;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return failed(`no Docker context named "${name}" (chosen by ${source}; known: ${knownContexts(store).join(', ') || 'none'})`);
    return failed(`Docker context "${name}" is unreadable: ${metaFile}: ${(e as Error).message}`);
  }
  const endpoint = meta.Endpoints?.docker;
  if (!endpoint?.Host) return failed(`Docker context "${name}" has no docker endpoint (${metaFile})`);
  const certPath = path.join(store, 'tls', id, 'docker');
  const tls = endpoint.Host.startsWith('tcp://') && fs.existsSync(certPath) ? { certPath, verify: !endpoint.SkipTLSVerify } : undefined;
  return { context: name, source, host: endpoint.Host, ...(tls ? { tls } : {}) };
}

function currentContext(env: NodeJS.ProcessEnv): string | undefined {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(dockerConfigDir(env), 'config.json'), 'utf8')) as { currentContext?: string };
    return config.currentContext || undefined;
  } catch {
    return undefined; // No config.json (or not JSON): the Docker CLI falls back to the default context too.
  }
}

function knownContexts(store: string): string[] {
  try {
    return fs.readdirSync(path.join(store, 'meta')).flatMap((id) => {
      try {
        return [(JSON.parse(fs.readFileSync(path.join(store, 'meta', id, 'meta.json'), 'utf8')) as { Name: string }).Name];
      } catch {
        return [];
      }
    }).sort();
  } catch {
    return [];
  }
}

/** The engine in a few words: the socket or endpoint, and the context when one was chosen. */
export function describeEngine(target: EngineTarget): string {
  if (target.context !== 'default') return `context ${target.context} (${target.host || 'no endpoint'})`;
  return target.source === 'DOCKER_HOST' || target.host !== DEFAULT_SOCKET ? `DOCKER_HOST=${target.host}` : `${DEFAULT_SOCKET} (the default; DOCKER_HOST is not set)`;
}

/** The name the status bar and `status` show for an engine that is not the default one; undefined for the default. */
export function engineName(target: EngineTarget): string | undefined {
  if (target.context !== 'default') return target.context;
  return target.host === DEFAULT_SOCKET ? undefined : target.host;
}
