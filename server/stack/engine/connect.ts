// The Docker Engine connection: dockerode on DOCKER_HOST or the platform's default socket, a timeout on
// every call, and the one "unreachable" state that names the socket tried and what to do about it.
import Docker from 'dockerode';
import type { EngineState } from '../../../$shared/protocol';

/** Every non-streaming call gives up after this long: an engine that does not answer is unreachable. */
const ENGINE_CALL_TIMEOUT_MS = 1500;

export interface EngineClients {
  /** For requests: each times out after ENGINE_CALL_TIMEOUT_MS. */
  docker: Docker;
  /** For the event stream only: no idle timeout (events may be minutes apart), a connect timeout instead. */
  streaming: Docker;
  socket: string;
}

export function connectEngine(env: NodeJS.ProcessEnv = process.env): EngineClients {
  // No API version is pinned, so the engine's own is used (this engine speaks 1.41).
  const where = engineAddress(env);
  // docker-modem honours connectionTimeout; @types/dockerode does not list it.
  const streamingOptions: Docker.DockerOptions & { connectionTimeout: number } = { ...where, connectionTimeout: ENGINE_CALL_TIMEOUT_MS };
  return {
    docker: new Docker({ ...where, timeout: ENGINE_CALL_TIMEOUT_MS }),
    streaming: new Docker(streamingOptions),
    socket: socketDescription(env),
  };
}

/**
 * docker-modem reads DOCKER_HOST (and its TLS and ssh settings) from process.env by itself; an env of
 * our own (a workspace's, a test's) only needs its unix socket or tcp address passed on.
 */
function engineAddress(env: NodeJS.ProcessEnv): Docker.DockerOptions {
  const host = env.DOCKER_HOST;
  if (env === process.env || !host) return {};
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: url.port || 2375 };
}

export function socketDescription(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST ? `DOCKER_HOST=${env.DOCKER_HOST}` : 'unix:///var/run/docker.sock (the default; DOCKER_HOST is not set)';
}

/** Pings the engine: connected with its version, or the one unreachable state, within about 2 s. */
export async function probeEngine(clients: EngineClients): Promise<EngineState> {
  const started = Date.now();
  try {
    const version = await clients.docker.version();
    return { status: 'connected', socket: clients.socket, version: version.Version, apiVersion: version.ApiVersion };
  } catch (e) {
    // docker-modem reports its own timeout as "socket hang up": the time taken tells the two apart.
    return unreachable(clients.socket, e as Error, Date.now() - started >= ENGINE_CALL_TIMEOUT_MS - 50);
  }
}

export function unreachable(socket: string, error: Error, timedOut = false): EngineState {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const what = code === 'ENOENT' ? 'the socket does not exist'
    : code === 'ECONNREFUSED' ? 'nothing listens on the socket'
      : code === 'EACCES' ? 'permission denied on the socket'
        : timedOut || /timeout/i.test(error.message) || code === 'ETIMEDOUT' ? `no answer within ${ENGINE_CALL_TIMEOUT_MS} ms`
          : error.message;
  const hint = code === 'EACCES'
    ? 'add your user to the docker group (sudo usermod -aG docker $USER, then log in again) or use a rootless engine'
    : 'start Docker: sudo systemctl start docker, or sh scripts/docker-engine.sh start' +
      (socket.startsWith('DOCKER_HOST') ? '; or point DOCKER_HOST at the engine that runs' : '');
  return { status: 'unreachable', socket, error: `Docker Engine unreachable at ${socket}: ${what}`, hint };
}
