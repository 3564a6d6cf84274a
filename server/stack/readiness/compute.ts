// The stack's readiness as a plain function: (compose project, container states, probe results) in,
// StackState out. A service not ready because a dependency is not shows as blocked by every such
// dependency, direct ones first, down to the root, and carries the root's cause.
import type { ContainerState, EngineState, ProbeResult, ServiceState, StackState, TargetState } from '../../../$shared/protocol';
import type { ComposeProject } from '../compose/model';
import { dependencyOrder, isOneShot } from '../compose/order';
import { ownState, PROBE_GRACE_MS, type OwnState } from './own';

export interface ReadinessInput {
  engine: EngineState;
  project?: ComposeProject;
  composeError?: string;
  /** Keyed by compose service name; a service with no entry has no container. */
  containers: Record<string, ContainerState>;
  /** Keyed by compose service name; undefined while a service's probes have not run yet. */
  probes: Record<string, ProbeResult[]>;
  targets?: TargetState[];
  now?: number;
}

const ABSENT: ContainerState = { status: 'absent', health: 'none' };

export function computeStackState(input: ReadinessInput): StackState {
  const now = input.now ?? Date.now();
  const base = { engine: input.engine, targets: input.targets ?? [], updatedAt: new Date(now).toISOString() };
  const project = input.project;
  if (!project) return { ...base, ...(input.composeError ? { composeError: input.composeError } : {}), services: [], ready: false };
  const summary = { name: project.name, files: project.files, workingDir: project.workingDir };
  if (input.engine.status !== 'connected') return { ...base, project: summary, services: [], ready: false };

  const own = new Map<string, OwnState>();
  for (const service of Object.values(project.services)) {
    own.set(service.name, ownState({
      container: input.containers[service.name] ?? ABSENT,
      probes: input.probes[service.name],
      probeCount: service.probes.length,
      oneShot: isOneShot(project, service.name),
      graceMs: Math.max(PROBE_GRACE_MS, service.healthcheck?.startPeriodMs ?? 0),
      now,
    }));
  }
  const notReady = (name: string) => own.get(name)?.readiness !== 'ready';
  const unmet = (name: string) => (project.services[name]?.dependsOn ?? []).map((d) => d.service).filter(notReady);

  const services: ServiceState[] = dependencyOrder(project).flat().map((name) => {
    const service = project.services[name];
    const mine = own.get(name) as OwnState;
    const blockedBy = mine.readiness === 'ready' ? [] : chain(name, unmet);
    const waits = blockedBy.length > 0 && (mine.readiness === 'absent' || mine.readiness === 'pending');
    const root = waits ? rootOf(blockedBy, unmet, own) : name;
    const rootState = own.get(root) as OwnState;
    return {
      name,
      readiness: waits ? 'blocked' : mine.readiness,
      summary: waits ? `blocked by ${blockedBy.join(', ')}: ${root} ${rootState.summary}` : mine.summary,
      container: input.containers[name] ?? ABSENT,
      probes: input.probes[name] ?? [],
      blockedBy,
      ...(waits || mine.readiness !== 'ready' ? { rootCause: { service: root, ...rootState.cause } } : {}),
      ...(service ? { file: service.file, line: service.line } : {}),
    };
  });
  return { ...base, project: summary, services, ready: services.every((s) => s.readiness === 'ready') };
}

/** What two states are compared by: timings change on every probe run, only a change a person would notice counts. */
export function stateSignature(state: StackState): string {
  return JSON.stringify(state, (k, v: unknown) => (k === 'updatedAt' || k === 'checkedAt' || k === 'durationMs' ? undefined
    : typeof v === 'string' ? v.replace(/ after \d+ ms/g, '') : v));
}

/** Every dependency not ready, breadth first (direct ones first), each named once. */
function chain(name: string, unmet: (name: string) => string[]): string[] {
  const seen: string[] = [];
  const queue = unmet(name);
  while (queue.length > 0) {
    const next = queue.shift() as string;
    if (seen.includes(next) || next === name) continue;
    seen.push(next);
    queue.push(...unmet(next));
  }
  return seen;
}

/** The root of a blocked chain: a failed service if there is one, else one that waits on nothing itself. */
function rootOf(blockedBy: string[], unmet: (name: string) => string[], own: Map<string, OwnState>): string {
  return blockedBy.find((n) => own.get(n)?.readiness === 'failed')
    ?? blockedBy.find((n) => unmet(n).length === 0)
    ?? blockedBy[blockedBy.length - 1] as string;
}
