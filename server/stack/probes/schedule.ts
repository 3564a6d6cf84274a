// When the StackMonitor's probes run: every service's (and the config's remote targets) on an interval,
// one service's at once when its container changes, and a young container's failing probes again soon.
// The results are kept here; the monitor reads them into the state and forgets a service's when its
// container goes away.
import type { ContainerState, ProbeResult, TargetState } from '../../../$shared/protocol';
import type { HandshakeConfig, TargetConfig } from '../../config/config';
import type { ComposeProject } from '../compose/model';
import { PROBE_GRACE_MS } from '../readiness/own';
import type { ProbeRoute } from './route';
import { probeContext, probeRemoteTarget, runProbes, type ProbeContext } from './run';

/** How soon a failing probe of a container still starting up is tried again. */
const STARTUP_REPROBE_MS = 250;

/** What the scheduler reads from the monitor, and how it tells it that results changed. */
export interface ProbeHost {
  project(): ComposeProject | undefined;
  container(service: string): ContainerState | undefined;
  changed(): void;
}

export class ProbeScheduler {
  /** Keyed by compose service name; no entry while a service's probes have not run yet. */
  readonly results = new Map<string, ProbeResult[]>();
  targets: TargetState[] = [];
  private readonly context: ProbeContext;
  private readonly probing = new Set<string>();
  private readonly reprobes = new Map<string, NodeJS.Timeout>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly config: HandshakeConfig, env: NodeJS.ProcessEnv, route: ProbeRoute, private readonly host: ProbeHost) {
    this.context = probeContext(config, env, () => host.project(), route);
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.probeAll(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    for (const timer of this.reprobes.values()) clearTimeout(timer);
    this.reprobes.clear();
  }

  /** Every service with probes, running or not: a blocked backend's WebSocket probe says "refused", which is
   *  the symptom its users see, next to the cause. Readiness still comes from the container first. */
  async probeAll(): Promise<void> {
    const services = Object.keys(this.host.project()?.services ?? {});
    await Promise.all([...services.map((s) => this.probeService(s)), this.probeTargets()]);
  }

  async probeService(service: string): Promise<void> {
    const specs = this.host.project()?.services[service]?.probes ?? [];
    if (specs.length === 0 || this.probing.has(service)) return;
    this.probing.add(service);
    try {
      const results = await runProbes(specs, this.context);
      const container = this.host.container(service);
      this.results.set(service, results);
      if (container?.status === 'running') {
        // A young container whose server is not listening yet: try again soon, so it shows ready as soon as it is.
        const young = container.startedAt !== undefined && Date.now() - Date.parse(container.startedAt) < PROBE_GRACE_MS;
        if (young && results.some((r) => !r.ok) && !this.reprobes.has(service)) {
          this.reprobes.set(service, setTimeout(() => {
            this.reprobes.delete(service);
            void this.probeService(service);
          }, STARTUP_REPROBE_MS));
        }
      }
    } finally {
      this.probing.delete(service);
    }
    this.host.changed();
  }

  private async probeTargets(): Promise<void> {
    const declared = Object.keys((this.config.raw.targets ?? {}) as Record<string, unknown>);
    if (declared.length === 0) return;
    this.targets = await Promise.all(declared.map((name) => probeRemoteTarget(name, this.config.targets[name] as TargetConfig, this.context)));
    this.host.changed();
  }
}
