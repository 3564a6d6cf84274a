// When a depends_on condition is met, and when a started service has settled, judged from its container's
// state and Docker health: the rules of Docker Compose, stated once for `up` to wait on.
import type { ContainerState } from '../../../$shared/protocol';
import type { ComposeProject, DependencyCondition } from '../compose/model';
import { isOneShot } from '../compose/order';
import { exitMeaning } from '../readiness/own';

/** met: go on; wait: not yet; failed: it never will be, with the reason in words. */
export type Verdict = { kind: 'met' } | { kind: 'wait'; why: string } | { kind: 'failed'; reason: string };

const MET: Verdict = { kind: 'met' };

function describeExit(c: ContainerState): string {
  if (c.status === 'dead') return 'container is dead';
  return c.exitCode === undefined ? 'exited' : `exited with code ${c.exitCode} (${exitMeaning(c.exitCode)})`;
}

function stopped(c: ContainerState): boolean {
  return c.status === 'exited' || c.status === 'dead';
}

/** Is `condition` on a dependency met by that dependency's container? */
export function conditionVerdict(condition: DependencyCondition, c: ContainerState | undefined): Verdict {
  if (!c || c.status === 'absent' || c.status === 'created') return { kind: 'wait', why: 'not started yet' };
  switch (condition) {
    case 'service_started':
      // Compose: started is enough; a container that already stopped with an error is not "started" for long.
      if (stopped(c)) return c.exitCode === 0 ? MET : { kind: 'failed', reason: describeExit(c) };
      return MET;
    case 'service_healthy':
      if (stopped(c)) return { kind: 'failed', reason: `${describeExit(c)} before it was healthy` };
      if (c.health === 'none') return MET; // compose refuses this at parse time; running is the best we can ask
      if (c.health === 'healthy') return MET;
      if (c.health === 'unhealthy') return { kind: 'failed', reason: `unhealthy${c.healthOutput ? `: ${c.healthOutput}` : ''}` };
      return { kind: 'wait', why: 'health: starting' };
    case 'service_completed_successfully':
      if (!stopped(c)) return { kind: 'wait', why: 'still running' };
      return c.exitCode === 0 ? MET : { kind: 'failed', reason: describeExit(c) };
  }
}

/**
 * Has a started service settled: healthy when it has a healthcheck, completed when it is a job, else running?
 * A service that exits 0 without being a job is settled too (compose treats it as done, not failed).
 */
export function settledVerdict(project: ComposeProject, service: string, c: ContainerState | undefined): Verdict {
  if (isOneShot(project, service)) return conditionVerdict('service_completed_successfully', c);
  if (c && stopped(c) && c.exitCode === 0) return MET;
  if (project.services[service]?.healthcheck !== undefined || (c !== undefined && c.health !== 'none')) return conditionVerdict('service_healthy', c);
  return conditionVerdict('service_started', c);
}

/** The phase a settled service reached, for the progress stream. */
export function settledPhase(c: ContainerState | undefined): 'healthy' | 'completed' | 'running' {
  if (c && stopped(c)) return 'completed';
  return c?.health === 'healthy' ? 'healthy' : 'running';
}
