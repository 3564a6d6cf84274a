// Probes for a service that declares none (neither `x-handshake.probes` in compose nor
// `services.<name>.probes` in handshake.config.json):
// - every published TCP port gets a TCP connect: at the engine's host (127.0.0.1 for a local engine) when it is
//   published on every interface, else at the address it is bound to;
// - a service that looks like the WebSocket backend (named backend, api, server, gateway, agent or ws) gets,
//   on its first published port that is not a well-known database/cache port, an HTTP GET /health and a
//   WebSocket handshake on /ws with a minted JWT.
// /ws/health is never inferred: a backend without it would look broken. Declare it when the service has it.
// A declaration, even an empty list, turns inference off for that service.
import type { ComposePort, ProbeSpec } from '../compose/model';

const BACKEND_NAME = /(^|[-_])(backend|api|server|gateway|agent|ws)([-_]|$)/i;
/** Ports that speak their own protocol, never HTTP: postgres, mysql, redis, mongo, amqp, kafka, memcached, ... */
const NON_HTTP_PORTS = new Set([5432, 3306, 6379, 27017, 5672, 9092, 11211, 2181, 1433, 1521, 9042, 4222]);

export function inferProbes(serviceName: string, ports: ComposePort[]): ProbeSpec[] {
  const tcp = ports.filter((p) => p.protocol === 'tcp' && p.hostPort > 0);
  const probes: ProbeSpec[] = tcp.map((p) => ({ type: 'tcp', ...at(p), port: p.hostPort, inferred: true }));
  const http = tcp.find((p) => !NON_HTTP_PORTS.has(p.containerPort));
  if (http && BACKEND_NAME.test(serviceName)) {
    probes.push({ type: 'http', ...at(http), port: http.hostPort, path: '/health', inferred: true },
      { type: 'websocket', ...at(http), port: http.hostPort, path: '/ws', inferred: true });
  }
  return probes;
}

/** The address a published port is bound to; undefined for every interface (the probe goes to the engine's host). */
function at(port: ComposePort): { host?: string } {
  const ip = port.hostIp;
  return !ip || ip === '0.0.0.0' || ip === '::' ? {} : { host: ip };
}
