// The Docker Engine connection for a chosen engine (select.ts): dockerode on a unix socket, on tcp:// with
// TLS (client certificate, private CA), or on ssh:// through an SshLink; a timeout on every call; the
// environment that points Docker Compose at the same engine; and the one "unreachable" state.
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import Docker from 'dockerode';
import type { EngineState } from '../../../$shared/protocol';
import { unreachable } from './failure';
import { describeEngine, engineName, selectEngine, type EngineTarget } from './select';
import { parseSshHost, SshLink } from './ssh/link';

/** Every non-streaming call on the local socket gives up after this long: an engine that does not answer is unreachable. */
const LOCAL_CALL_TIMEOUT_MS = 1500;
/** Over a network the first call also pays for the ssh or TLS handshake (and the remote CLI's start for ssh). */
const REMOTE_CALL_TIMEOUT_MS = 5000;

export interface EngineClients {
  /** For requests: each times out after timeoutMs. */
  docker: Docker;
  /** For the event stream only: no idle timeout (events may be minutes apart), a connect timeout instead. */
  streaming: Docker;
  /** The engine in words, for messages ("context remote-ssh (ssh://…)", "DOCKER_HOST=…"). */
  socket: string;
  /** Its name when it is not the default engine. */
  name?: string;
  target: EngineTarget;
  timeoutMs: number;
  /** The ssh connection behind an ssh:// engine (probes forward through it). */
  ssh?: SshLink;
  /** Closes what the clients opened (an ssh connection, its socket and forwards). */
  close(): void;
}

export function connectEngine(target: EngineTarget = selectEngine(), env: NodeJS.ProcessEnv = process.env): EngineClients {
  const remote = !target.host.startsWith('unix://');
  const timeoutMs = remote ? REMOTE_CALL_TIMEOUT_MS : LOCAL_CALL_TIMEOUT_MS;
  const ssh = target.host.startsWith('ssh://') && !target.error ? new SshLink(parseSshHost(target.host, env), env, timeoutMs) : undefined;
  const where = target.error ? undefined : dockerodeOptions(target, ssh);
  // No API version is pinned, so the engine's own is used (this engine speaks 1.41).
  const streamingOptions = { ...where, connectionTimeout: timeoutMs } as Docker.DockerOptions;
  return {
    docker: new Docker({ ...where, timeout: timeoutMs }),
    streaming: new Docker(streamingOptions),
    socket: describeEngine(target),
    ...(engineName(target) ? { name: engineName(target) } : {}),
    target,
    timeoutMs,
    ssh,
    close: () => ssh?.close(),
  };
}

/**
 * Every field set, even to undefined: docker-modem starts from DOCKER_HOST and the TLS variables of its own
 * process, which must not leak into an engine chosen otherwise.
 */
function dockerodeOptions(target: EngineTarget, ssh: SshLink | undefined): Docker.DockerOptions {
  const none = { socketPath: undefined, host: undefined, port: undefined, ca: undefined, cert: undefined, key: undefined, protocol: 'http' as const };
  if (ssh) return { ...none, socketPath: ssh.socketPath };
  if (target.host.startsWith('unix://')) return { ...none, socketPath: target.host.slice('unix://'.length) };
  const url = new URL(target.host.replace(/^tcp:/, 'http:'));
  if (!target.tls) return { ...none, host: url.hostname, port: url.port || 2375 };
  const read = (name: string) => {
    const file = path.join(target.tls?.certPath as string, name);
    return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  };
  const [ca, cert, key] = [read('ca.pem'), read('cert.pem'), read('key.pem')];
  // The agent carries what docker-modem does not pass on: whether the engine's certificate is checked.
  const agent = new https.Agent({ ca, cert, key, rejectUnauthorized: target.tls.verify, keepAlive: true });
  return { ...none, protocol: 'https', host: url.hostname, port: url.port || 2376, ca, cert, key, agent } as Docker.DockerOptions;
}

/**
 * The environment for Docker Compose (and any docker CLI) on the same engine: DOCKER_HOST and the TLS
 * variables set to it, DOCKER_CONTEXT cleared. An ssh:// engine is reached through the link's socket, so
 * Compose uses the connection whose host key Handshake checked.
 */
export function engineEnv(clients: EngineClients, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DOCKER_CONTEXT: _context, DOCKER_TLS_VERIFY: _verify, DOCKER_CERT_PATH: _certs, ...rest } = env;
  const tls = clients.target.tls;
  // Compose v1's HTTP library lets a CA bundle named in the environment replace the engine's own CA.
  if (tls) for (const name of ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE']) delete rest[name];
  return {
    ...rest,
    DOCKER_HOST: clients.ssh ? `unix://${clients.ssh.socketPath}` : clients.target.host,
    ...(tls ? { DOCKER_CERT_PATH: tls.certPath, ...(tls.verify ? { DOCKER_TLS_VERIFY: '1' } : {}) } : {}),
  };
}

/** Pings the engine: connected with its version, or the one unreachable state, within the call timeout. */
export async function probeEngine(clients: EngineClients): Promise<EngineState> {
  const named = clients.name ? { name: clients.name } : {};
  if (clients.target.error) return { status: 'unreachable', socket: clients.socket, ...named, error: clients.target.error, hint: 'docker context ls lists the contexts; docker context create makes one' };
  const started = Date.now();
  try {
    // A kept-alive connection that died with the engine fails at once with a reset: the second try dials anew,
    // and that is the one whose failure tells why (dial-stdio's own error, for ssh).
    const version = await clients.docker.version().catch((e: NodeJS.ErrnoException) => {
      const reset = e.code === 'ECONNRESET' || /socket hang up/.test(e.message);
      // docker-modem's own timeout also reads "socket hang up": that one is not tried again.
      if (!reset || Date.now() - started >= clients.timeoutMs - 50) throw e;
      return clients.docker.version();
    });
    return { status: 'connected', socket: clients.socket, ...named, version: version.Version, apiVersion: version.ApiVersion };
  } catch (e) {
    // docker-modem reports its own timeout as "socket hang up": the time taken tells the two apart.
    return engineDown(clients, e as Error, Date.now() - started >= clients.timeoutMs - 50);
  }
}

/** The unreachable state for an error met on these clients; the ssh link may know the cause better. */
export function engineDown(clients: EngineClients, error: Error, timedOut = false): EngineState {
  return unreachable(clients.socket, clients.ssh?.failure() ?? error, clients.timeoutMs, timedOut, clients.name);
}
