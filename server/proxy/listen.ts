// Where a proxy listens: HOST:PORT, loopback unless the address is written down for good (the config).
export class ListenError extends Error {}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** `127.0.0.1:8790`, `[::1]:8790`, `localhost:0`; `fromConfig` allows another address (SPEC 8). */
export function parseListen(text: string, what: string, fromConfig = false): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new ListenError(`${what} must be HOST:PORT such as 127.0.0.1:8790 (got ${JSON.stringify(text)})`);
  const host = m[1] ?? m[2]!;
  if (!fromConfig && !LOOPBACK.test(host)) throw new ListenError(`${what} must be a loopback address (127.0.0.1, ::1); name other addresses in handshake.config.json proxies`);
  return { host, port };
}
