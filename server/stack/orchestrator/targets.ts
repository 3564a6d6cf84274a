// Which services an operation touches, and, after a failure, the dependency chain by which each service
// that never started was blocked.
import type { ComposeProject } from '../compose/model';
import { requireService, withDependencies } from '../compose/order';
import type { BlockedService } from './progress';

/** The services to start, in compose-file order; unknown names are a compose error listing the services. */
export function targetServices(project: ComposeProject, services: string[], noDeps: boolean): string[] {
  for (const name of services) requireService(project, name);
  const wanted = noDeps && services.length ? new Set(services) : withDependencies(project, services);
  return Object.keys(project.services).filter((name) => wanted.has(name));
}

/** For each service, its chain of dependencies down to `failed` ([backend, migrate]), or just itself. */
export function blockedChains(project: ComposeProject, services: string[], failed: string): BlockedService[] {
  const chainTo = (from: string, seen: Set<string>): string[] | undefined => {
    if (from === failed) return [from];
    if (seen.has(from)) return undefined;
    seen.add(from);
    for (const dep of project.services[from]?.dependsOn ?? []) {
      const rest = chainTo(dep.service, seen);
      if (rest) return [from, ...rest];
    }
    return undefined;
  };
  return services.map((service) => ({ service, chain: chainTo(service, new Set()) ?? [service] }));
}
