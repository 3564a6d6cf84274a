// Where a probe connects when the stack runs on another machine. A port published on every interface is
// probed at the engine's host, as its clients reach it; a port bound to the engine host's loopback is
// reached through an ssh port forward that the engine's SshLink opens (and closes with the monitor). Over
// tcp:// there is no tunnel, so loopback ports are tried at the engine's host too. The result says which path.
import type { EngineClients } from '../engine/connect';

export interface Reach {
  host: string;
  port: number;
  /** The path taken, in words, when it is not a plain connection from this machine. */
  via?: string;
}

/** Even the engine's host could not connect: the probe fails with this reason, without being tried here. */
export class UnreachedError extends Error {
  constructor(reason: string, readonly via: string) {
    super(reason);
  }
}

export interface ProbeRoute {
  /** Where to connect to probe host:port of the stack (host undefined: a port published on every interface). */
  reach(host: string | undefined, port: number): Promise<Reach>;
}

export const LOCAL_ROUTE: ProbeRoute = { reach: async (host, port) => ({ host: host ?? '127.0.0.1', port }) };

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;

export function engineRoute(clients: EngineClients): ProbeRoute {
  const { target, ssh } = clients;
  if (target.error || target.host.startsWith('unix://')) return LOCAL_ROUTE;
  const engineHost = ssh?.endpoint.host ?? new URL(target.host.replace(/^tcp:/, 'http:')).hostname;
  return {
    async reach(host, port) {
      if (ssh && host !== undefined && LOOPBACK.test(host)) {
        const remote = host === 'localhost' ? '127.0.0.1' : host.replace(/^\[|\]$/g, '');
        const via = `through an ssh forward to ${remote}:${port} on ${ssh.destination}`;
        // The tunnel's own connect says "refused" where a probe of the forward would only see a reset.
        const reachable = await ssh.reachable(remote, port);
        if (reachable !== true) throw new UnreachedError(reachable, via);
        return { host: '127.0.0.1', port: await ssh.forward(remote, port), via };
      }
      if (host === undefined || LOOPBACK.test(host)) return { host: engineHost, port, via: `at the engine's host ${engineHost}` };
      return { host, port };
    },
  };
}
