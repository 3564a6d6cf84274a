// Dependency order of a compose project: levels that can start together (each level depends only on
// earlier ones), and cycle detection that names the cycle (a -> b -> a).
import { ComposeError, type ComposeProject, type ComposeService } from './model';

/** The first dependency cycle found, as a path that ends where it starts, or undefined. */
export function findCycle(services: Record<string, ComposeService>): string[] | undefined {
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const onStack = stack.indexOf(name);
    if (onStack >= 0) return [...stack.slice(onStack), name];
    const service = services[name];
    if (done.has(name) || !service) return undefined;
    stack.push(name);
    for (const dep of service.dependsOn) {
      const cycle = visit(dep.service);
      if (cycle) return cycle;
    }
    stack.pop();
    done.add(name);
    return undefined;
  };
  for (const name of Object.keys(services).sort()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}

/** A one-shot job: some service waits for it with service_completed_successfully, so exiting 0 is its success. */
export function isOneShot(project: ComposeProject, service: string): boolean {
  return Object.values(project.services).some((s) => s.dependsOn.some((d) => d.service === service && d.condition === 'service_completed_successfully'));
}

/** The named service; an unknown name is a compose error listing the services. */
export function requireService(project: ComposeProject, name: string): ComposeService {
  const service = project.services[name];
  if (!service) throw new ComposeError(project.files[0] ?? '', 0, `no service named ${name} (services: ${Object.keys(project.services).join(', ')})`);
  return service;
}

/** The named services and everything they depend on, transitively (all services when none are named). */
export function withDependencies(project: ComposeProject, names?: string[]): Set<string> {
  const wanted = new Set<string>();
  const add = (name: string) => {
    const service = requireService(project, name);
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const dep of service.dependsOn) add(dep.service);
  };
  for (const name of names?.length ? names : Object.keys(project.services)) add(name);
  return wanted;
}

/**
 * Topological levels: level 0 has no dependencies, level n depends only on levels < n. With `services`,
 * only those and their dependencies. Names inside a level are sorted, so the order is stable.
 */
export function dependencyOrder(project: ComposeProject, services?: string[]): string[][] {
  const wanted = withDependencies(project, services);
  const level = new Map<string, number>();
  const depth = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    const deps = project.services[name]?.dependsOn ?? [];
    const d = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((dep) => depth(dep.service)));
    level.set(name, d);
    return d;
  };
  const levels: string[][] = [];
  for (const name of [...wanted].sort()) (levels[depth(name)] ??= []).push(name);
  return levels.filter((l) => l !== undefined);
}
