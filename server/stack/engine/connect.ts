// The Docker Engine connection: dockerode on DOCKER_HOST or the platform's default socket, a timeout on
// every call, and the one "unreachable" state that names the socket tried and what to do about it.
import Docker from 'dockerode';
import type { EngineState } from '../../../$shared/protocol';

/** Every non-streaming call gives up after this long: an engine that does not answer is unreachable. */
export const ENGINE_CALL_TIMEOUT_MS = 1500;

export interface EngineClients {
  /** For requests: each times out after ENGINE_CALL_TIMEOUT_MS. */
  docker: Docker;
  /** For the event stream only: no idle timeout (events may be minutes apart), a connect timeout instead. */
  streaming: Docker;
  socket: string;
}

// docker-modem honours connectionTimeout; @types/dockerode does not list it.
const streamingOptions: Docker.DockerOptions & { connectionTimeout: number } = { connectionTimeout: ENGINE_CALL_TIMEOUT_MS };

export function connectEngine(env: NodeJS.ProcessEnv = process.env): EngineClients {
  // dockerode (docker-modem) reads DOCKER_HOST itself; no API version is pinned, so the engine's own is used.
  return {
    docker: new Docker({ timeout: ENGINE_CALL_TIMEOUT_MS }),
    streaming: new Docker(streamingOptions),
    socket: socketDescription(env),
  };
}

export function socketDescription(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST ? `DOCKER_HOST=${env.DOCKER_HOST}` : 'unix:///var/run/docker.sock (the default; DOCKER_HOST is not set)';
}

/** Pings the engine: connected with its version, or the one unreachable state, within about 2 s. */
export async function probeEngine(clients: EngineClients): Promise<EngineState> {
  try {
    const version = await clients.docker.version();
    return { status: 'connected', socket: clients.socket, version: version.Version, apiVersion: version.ApiVersion };
  } catch (e) {
    return unreachable(clients.socket, e as Error);
  }
}

export function unreachable(socket: string, error: Error): EngineState {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const what = code === 'ENOENT' ? 'the socket does not exist'
    : code === 'ECONNREFUSED' ? 'nothing listens on the socket'
      : code === 'EACCES' ? 'permission denied on the socket'
        : /timeout/i.test(error.message) || code === 'ETIMEDOUT' ? `no answer within ${ENGINE_CALL_TIMEOUT_MS} ms`
          : error.message;
  const hint = code === 'EACCES'
    ? 'add your user to the docker group (sudo usermod -aG docker $USER, then log in again) or use a rootless engine'
    : 'start Docker: sudo systemctl start docker, or sh scripts/docker-engine.sh start' +
      (socket.startsWith('DOCKER_HOST') ? '; or point DOCKER_HOST at the engine that runs' : '');
  return { status: 'unreachable', socket, error: `Docker Engine unreachable at ${socket}: ${what}`, hint };
}
