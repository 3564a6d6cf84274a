// The compose project as Handshake sees it: only what readiness, probes and the orchestrator need,
// normalised from the compose file(s) (list or map forms, short or long syntax) into one shape.

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface ComposeDependency {
  service: string;
  condition: DependencyCondition;
}

export interface ComposePort {
  hostIp?: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

export interface ComposeHealthcheck {
  /** The test as compose holds it: ["CMD", ...], ["CMD-SHELL", "..."] or a shell string. */
  test: string[] | string;
  intervalMs?: number;
  timeoutMs?: number;
  retries?: number;
  startPeriodMs?: number;
}

/**
 * One readiness probe. Declared under `x-handshake: {probes: [...]}` on a compose service or under
 * `services.<name>.probes` in handshake.config.json; inferred when neither declares any.
 * `url` (http(s)/ws(s)) wins over host+port+path; remote targets use it.
 */
export interface ProbeSpec {
  type: 'tcp' | 'http' | 'websocket' | 'ws-health';
  host?: string;
  port?: number;
  path?: string;
  url?: string;
  /** websocket: the first message's `type` (or the whole text) that must arrive, e.g. connection_established. */
  expectFirstMessage?: string;
  /** http: the status code expected (200). */
  expectStatus?: number;
  timeoutMs?: number;
  /** True when Handshake inferred the probe rather than reading it from a declaration. */
  inferred?: boolean;
}

export interface ComposeService {
  name: string;
  image?: string;
  containerName?: string;
  dependsOn: ComposeDependency[];
  healthcheck?: ComposeHealthcheck;
  ports: ComposePort[];
  environment: Record<string, string>;
  profiles: string[];
  probes: ProbeSpec[];
  networkMode?: string;
  /** `restart: "no"` and a command that exits: the orchestrator needs neither, kept for views. */
  restart?: string;
  /** Where the service is defined, for errors and "go to definition" in the editor. */
  file: string;
  line: number;
}

export interface ComposeProject {
  name: string;
  files: string[];
  workingDir: string;
  services: Record<string, ComposeService>;
  /** Services left out because their profiles are not active. */
  inactive: string[];
  /** Interpolation of unset variables and the like: compose warns and goes on, so do we. */
  warnings: string[];
}

/** A compose file Handshake cannot use; file and line point at the cause. */
export class ComposeError extends Error {
  constructor(readonly file: string, readonly line: number, detail: string) {
    super(line > 0 ? `${file}:${line}: ${detail}` : `${file}: ${detail}`);
  }
}
