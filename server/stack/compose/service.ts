// Normalises one compose service (already interpolated and merged across files) into a ComposeService:
// depends_on in list or map form, ports in short or long syntax, environment as list or map plus
// env_file, healthcheck durations, profiles and the `x-handshake` probe declarations.
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import type { ComposeDependency, ComposeHealthcheck, ComposePort, ComposeService, DependencyCondition, ProbeSpec } from './model';

const CONDITIONS: DependencyCondition[] = ['service_started', 'service_healthy', 'service_completed_successfully'];

/** Thrown with the path (inside the service) it concerns, so the loader can add file and line. */
export class ServiceShapeError extends Error {
  constructor(readonly at: (string | number)[], detail: string) {
    super(detail);
  }
}

type Raw = Record<string, unknown>;

export function normaliseService(name: string, raw: Raw, where: { file: string; line: number }, workingDir: string,
  env: Record<string, string | undefined>, warnings: string[]): Omit<ComposeService, 'probes'> & { declaredProbes?: ProbeSpec[] } {
  const healthcheck = normaliseHealthcheck(raw.healthcheck);
  const xHandshake = (raw['x-handshake'] ?? {}) as Raw;
  return {
    name,
    image: optionalString(raw.image),
    containerName: optionalString(raw.container_name),
    dependsOn: normaliseDependsOn(raw.depends_on),
    ...(healthcheck ? { healthcheck } : {}),
    ports: normalisePorts(raw.ports, raw.network_mode === 'host'),
    environment: { ...envFiles(raw.env_file, workingDir, warnings), ...normaliseEnvironment(raw.environment, env) },
    profiles: Array.isArray(raw.profiles) ? raw.profiles.map(String) : [],
    networkMode: optionalString(raw.network_mode),
    restart: optionalString(raw.restart),
    file: where.file,
    line: where.line,
    ...(xHandshake.probes !== undefined ? { declaredProbes: normaliseProbes(xHandshake.probes, ['x-handshake', 'probes']) } : {}),
  };
}

/** depends_on as a map keyed by service, the shape both forms merge into across files. */
export function dependsOnMap(value: unknown): Raw {
  if (Array.isArray(value)) return Object.fromEntries(value.map((s) => [String(s), { condition: 'service_started' }]));
  return (value ?? {}) as Raw;
}

function normaliseDependsOn(value: unknown): ComposeDependency[] {
  return Object.entries(dependsOnMap(value)).map(([service, spec]) => {
    const condition = ((spec as Raw | null)?.condition ?? 'service_started') as DependencyCondition;
    if (!CONDITIONS.includes(condition)) {
      throw new ServiceShapeError(['depends_on', service], `depends_on ${service}: condition must be one of ${CONDITIONS.join(', ')}, not ${JSON.stringify(condition)}`);
    }
    return { service, condition };
  });
}

function normaliseHealthcheck(value: unknown): ComposeHealthcheck | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const h = value as Raw;
  const test = Array.isArray(h.test) ? h.test.map(String) : optionalString(h.test);
  if (h.disable === true || !test || (Array.isArray(test) && test[0] === 'NONE')) return undefined;
  return { test, intervalMs: duration(h.interval), timeoutMs: duration(h.timeout), retries: typeof h.retries === 'number' ? h.retries : undefined,
    startPeriodMs: duration(h.start_period) };
}

/** Compose durations: "1m30s", "10s", "500ms", "1h". */
function duration(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const units: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  const text = String(value).trim();
  const re = /(\d+(?:\.\d+)?)(us|ms|s|m|h)/g;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (units[m[2] as string] ?? 0);
    consumed += m[0].length;
  }
  if (consumed !== text.length) throw new ServiceShapeError(['healthcheck'], `not a duration: ${JSON.stringify(text)} (try 10s, 1m30s, 500ms)`);
  return total;
}

function normalisePorts(value: unknown, hostNetwork: boolean): ComposePort[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry, i) => {
    if (entry && typeof entry === 'object') {
      const p = entry as Raw;
      return expandPorts(p.host_ip as string | undefined, p.published === undefined ? undefined : String(p.published), String(p.target),
        (p.protocol as string | undefined) ?? 'tcp', hostNetwork, i);
    }
    // Short syntax: [[IP:]HOST:]CONTAINER[/PROTOCOL], IPv6 addresses in brackets.
    const m = /^(?:(\[[0-9a-fA-F:]+\]|[^:[\]]*\.[^:]*):)?(?:([\d-]*):)?([\d-]+)(?:\/(tcp|udp))?$/.exec(String(entry));
    if (!m) throw new ServiceShapeError(['ports', i], `ports: cannot read ${JSON.stringify(entry)} (expected HOST:CONTAINER, e.g. "8002:8002")`);
    return expandPorts(m[1]?.replace(/^\[|\]$/g, ''), m[2] || undefined, m[3] as string, m[4] ?? 'tcp', hostNetwork, i);
  });
}

function expandPorts(hostIp: string | undefined, published: string | undefined, target: string, protocol: string, hostNetwork: boolean, i: number): ComposePort[] {
  const containers = range(target, i);
  // No published port: an ephemeral host port (0), except on the host network where the container's port is the host's.
  const hosts = published ? range(published, i) : containers.map((c) => (hostNetwork ? c : 0));
  return containers.map((containerPort, k) => ({ ...(hostIp ? { hostIp } : {}), hostPort: hosts[k] ?? hosts[0] ?? 0, containerPort,
    protocol: protocol === 'udp' ? 'udp' : 'tcp' }));
}

function range(text: string, i: number): number[] {
  const [from, to = from] = text.split('-').map(Number) as [number, number?];
  if (!Number.isInteger(from) || !Number.isInteger(to) || to < from) throw new ServiceShapeError(['ports', i], `ports: ${JSON.stringify(text)} is not a port or port range`);
  return Array.from({ length: to - from + 1 }, (_, k) => from + k);
}

/** environment as a map; list entries without "=" take their value from the interpolation env, as compose does. */
export function environmentMap(value: unknown, env: Record<string, string | undefined>): Record<string, string | null> {
  if (Array.isArray(value)) {
    return Object.fromEntries(value.map((entry) => {
      const text = String(entry);
      const eq = text.indexOf('=');
      return eq < 0 ? [text, env[text] ?? null] : [text.slice(0, eq), text.slice(eq + 1)];
    }));
  }
  return Object.fromEntries(Object.entries((value ?? {}) as Raw).map(([k, v]) => [k, v === null || v === undefined ? env[k] ?? null : String(v)]));
}

function normaliseEnvironment(value: unknown, env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(environmentMap(value, env)).filter((e): e is [string, string] => e[1] !== null));
}

function envFiles(value: unknown, workingDir: string, warnings: string[]): Record<string, string> {
  const entries = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const merged: Record<string, string> = {};
  for (const entry of entries) {
    const file = path.resolve(workingDir, String(typeof entry === 'object' && entry ? (entry as Raw).path : entry));
    if (!fs.existsSync(file)) {
      warnings.push(`env_file ${file} does not exist`);
      continue;
    }
    Object.assign(merged, parseEnv(fs.readFileSync(file, 'utf8')));
  }
  return merged;
}

/** Probe declarations, from x-handshake or from handshake.config.json's services.<name>.probes. */
export function normaliseProbes(value: unknown, at: (string | number)[]): ProbeSpec[] {
  if (value === false || value === null) return [];
  if (!Array.isArray(value)) throw new ServiceShapeError(at, 'probes must be a list (or false to turn inference off)');
  return value.map((p, i) => {
    const spec = p as ProbeSpec;
    if (!spec || !['tcp', 'http', 'websocket', 'ws-health'].includes(spec.type)) {
      throw new ServiceShapeError([...at, i], 'probe type must be one of tcp, http, websocket, ws-health');
    }
    if (spec.port === undefined && spec.url === undefined) throw new ServiceShapeError([...at, i], `${spec.type} probe needs a port or a url`);
    // An interpolated port ("${WEB_PORT}") arrives as a string.
    const port = spec.port === undefined ? undefined : Number(spec.port);
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
      throw new ServiceShapeError([...at, i], `probe port ${JSON.stringify(spec.port)} is not a port number`);
    }
    return { ...spec, ...(port !== undefined ? { port } : {}) };
  });
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}
