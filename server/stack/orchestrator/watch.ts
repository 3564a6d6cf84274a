// What `up` and `restart` wait on: the newest container of each service of one project, kept current by
// the Docker event stream (opened before anything starts, so no change is missed) and re-read on demand.
import Docker from 'dockerode';
import type { ComposeProject } from '../compose/model';
import type { ContainerState } from '../../../$shared/protocol';
import type { ServiceFailure } from './progress';

const PROJECT_LABEL = 'com.docker.compose.project';
const SERVICE_LABEL = 'com.docker.compose.service';

export interface ServiceWatch {
  snapshot(service: string): ContainerState | undefined;
  containerId(service: string): string | undefined;
  /** Calls the listener after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Re-reads the named services' containers (all when none are named) from the engine. */
  refresh(services?: string[]): Promise<void>;
  docker: Docker;
  close(): void;
}

interface Entry { id: string; created: number; snapshot: ContainerState }

export async function openServiceWatch(project: ComposeProject, docker: Docker = new Docker()): Promise<ServiceWatch> {
  const entries = new Map<string, Entry>();
  const listeners = new Set<() => void>();
  const changed = () => { for (const l of listeners) l(); };

  // Reads overlap (inspect waits while Docker holds the container's lock): the newest one issued wins.
  let issued = 0;
  const applied = new Map<string, number>();
  const read = async (id: string): Promise<void> => {
    const mine = ++issued;
    // inspect, not the event's attributes: it carries the exit code, health status and health log together.
    const info = await docker.getContainer(id).inspect().catch(() => undefined);
    if ((applied.get(id) ?? 0) > mine) return;
    applied.set(id, mine);
    const service = info?.Config.Labels?.[SERVICE_LABEL];
    if (!info || !service) {
      for (const [name, e] of entries) if (e.id === id) entries.delete(name);
      return;
    }
    const created = Date.parse(info.Created);
    const known = entries.get(service);
    if (known && known.id !== id && known.created > created) return; // an older replica or a leftover
    entries.set(service, { id, created, snapshot: toSnapshot(info) });
  };

  const refresh = async (services?: string[]): Promise<void> => {
    // All containers of the project, stopped ones too: a job that exited is still the job's state.
    const list = await docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${project.name}`] } });
    const wanted = list.filter((c) => !services?.length || services.includes(c.Labels[SERVICE_LABEL] ?? ''));
    await Promise.all(wanted.map((c) => read(c.Id)));
    changed();
  };

  // The event stream filtered to this project's containers; health_status arrives as "health_status: healthy".
  const stream = await docker.getEvents({ filters: { type: ['container'], label: [`${PROJECT_LABEL}=${project.name}`],
    event: ['create', 'start', 'die', 'kill', 'oom', 'stop', 'destroy', 'health_status', 'restart'] } });
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      const event = JSON.parse(line) as { id?: string };
      if (event.id) void read(event.id).then(changed);
    }
  });
  stream.on('error', () => undefined);
  await refresh();

  return {
    docker,
    snapshot: (service) => entries.get(service)?.snapshot,
    containerId: (service) => entries.get(service)?.id,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh,
    close() {
      listeners.clear();
      (stream as unknown as { destroy(): void }).destroy();
    },
  };
}

function toSnapshot(info: Docker.ContainerInspectInfo): ContainerState {
  const health = info.State.Health;
  const lastCheck = health?.Log?.[health.Log.length - 1];
  return {
    status: info.State.Status as ContainerState['status'],
    id: info.Id,
    exitCode: info.State.Status === 'exited' || info.State.Status === 'dead' ? info.State.ExitCode : undefined,
    health: (health?.Status ?? 'none') as ContainerState['health'],
    healthOutput: health?.Status === 'unhealthy' && lastCheck ? lastCheck.Output.trim().split('\n').slice(-3).join(' | ') : undefined,
  };
}

/** The failed service's exit code, failing health output and first error line of its logs. */
export async function describeFailure(watch: ServiceWatch, service: string, reason: string): Promise<ServiceFailure> {
  await watch.refresh([service]).catch(() => undefined);
  const snapshot = watch.snapshot(service);
  const failure: ServiceFailure = { service, reason, exitCode: snapshot?.exitCode, healthOutput: snapshot?.healthOutput };
  return failure;
}
