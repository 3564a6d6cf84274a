// A service's readiness in words: the chain it waits on (with each depends_on condition) and the root
// cause, with the first error line and the last log lines. `handshake why` prints it; views can show it.
import type { ServiceState, StackState } from '../../../$shared/protocol';
import type { ComposeProject } from '../compose/model';

const CONDITION_WORDS = {
  service_started: 'to start',
  service_healthy: 'to be healthy',
  service_completed_successfully: 'to complete successfully',
} as const;

export function explainService(state: StackState, project: ComposeProject, name: string): string[] {
  const byName = new Map(state.services.map((s) => [s.name, s]));
  const service = byName.get(name);
  if (!service) return [`${name} is not a service of compose project ${project.name} (services: ${state.services.map((s) => s.name).join(', ')})`];
  if (service.readiness === 'ready') return [`${name} is ready: ${service.summary}`];

  const lines: string[] = [];
  if (service.blockedBy.length > 0) {
    lines.push(service.readiness === 'blocked' ? `${name} is blocked by ${service.blockedBy.join(', ')}:`
      : `${name} ${stateWords(service)} (${service.summary}) and also waits for ${service.blockedBy.join(', ')}:`);
    // Each link of the chain: who waits for whom, and on which condition.
    for (const waiter of [name, ...service.blockedBy]) {
      for (const dep of project.services[waiter]?.dependsOn ?? []) {
        const target = byName.get(dep.service);
        if (!target || !service.blockedBy.includes(dep.service)) continue;
        lines.push(`  ${waiter} waits for ${dep.service} ${CONDITION_WORDS[dep.condition]}; ${dep.service} ${stateWords(target)}: ${ownSummary(target)}`);
      }
    }
  } else {
    lines.push(`${name} ${stateWords(service)}: ${service.summary}`);
  }
  const cause = service.rootCause;
  if (cause) {
    // A service that is its own root cause has said so on the first line already.
    if (cause.service !== name) lines.push(`root cause: ${cause.service} ${cause.summary}`);
    if (cause.firstErrorLine) lines.push(`first error: ${cause.firstErrorLine}`);
    if (cause.healthOutput) lines.push(`last health check output: ${cause.healthOutput.trim().split('\n').slice(0, 5).join(' | ')}`);
  }
  for (const probe of service.probes.filter((p) => !p.ok)) lines.push(`probe: ${probe.detail}${probe.via ? ` (${probe.via})` : ''}`);
  if (cause?.lastLogLines?.length) {
    lines.push(`last log lines of ${cause.service}:`, ...cause.lastLogLines.map((l) => `  | ${l}`));
  }
  return lines;
}

/** A blocked service's summary names its own root; in a chain, say what the service itself is doing. */
function ownSummary(service: ServiceState): string {
  return service.readiness === 'blocked' ? `waiting for ${service.blockedBy.join(', ')}` : service.summary;
}

/** "failed", "is pending", "is blocked": how a sentence says a service's readiness. */
function stateWords(service: ServiceState): string {
  return service.readiness === 'failed' ? 'failed' : `is ${service.readiness}`;
}
