// Container state per compose service, read from the engine: containers carry Docker Compose's labels
// com.docker.compose.project and com.docker.compose.service (v1 and v2 alike). For a failed or unhealthy
// container the logs are read too, for the first error line and the last lines.
import type Docker from 'dockerode';
import type { ContainerInspectInfo } from 'dockerode';
import type { ContainerState, ContainerStatus } from '../../../$shared/protocol';
import { firstErrorLine, readLogTail } from './logs';

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';
const ONEOFF_LABEL = 'com.docker.compose.oneoff';

/** The compose project's containers, one per service: the newest that is not a `run` one-off. */
export async function projectContainers(docker: Docker, project: string): Promise<Map<string, string>> {
  // all: exited containers matter most (a failed migration job).
  const list = await docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${project}`] } });
  const byService = new Map<string, { id: string; created: number }>();
  for (const c of list) {
    const service = c.Labels[SERVICE_LABEL];
    if (!service || c.Labels[ONEOFF_LABEL] === 'True') continue;
    const known = byService.get(service);
    if (!known || c.Created > known.created) byService.set(service, { id: c.Id, created: c.Created });
  }
  return new Map([...byService].map(([service, c]) => [service, c.id]));
}

/** Inspects one container; the logs are read only when they can explain a failure. */
export async function inspectContainer(docker: Docker, id: string): Promise<ContainerState> {
  const info = await docker.getContainer(id).inspect();
  const state = containerState(info);
  const troubled = (state.status === 'exited' && state.exitCode !== 0) || state.status === 'dead' || state.status === 'restarting' || state.health === 'unhealthy';
  if (troubled) {
    try {
      const lines = await readLogTail(docker, id, info.Config.Tty);
      const first = firstErrorLine(lines);
      if (first) state.firstErrorLine = first;
      state.lastLogLines = lines;
    } catch {
      // The container went away between inspect and logs: its state says enough.
    }
  }
  return state;
}

function containerState(info: ContainerInspectInfo): ContainerState {
  const s = info.State;
  const status = s.Status as ContainerStatus;
  const health = s.Health;
  const last = health?.Log?.[health.Log.length - 1];
  const ended = status === 'exited' || status === 'dead' || status === 'restarting';
  // Docker keeps the last health of a stopped container; only a running one's health means anything.
  const live = status === 'running';
  return {
    status,
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    ...(ended ? { exitCode: s.ExitCode } : {}),
    health: (live ? health?.Status as ContainerState['health'] | undefined : undefined) ?? 'none',
    ...(live && last && last.ExitCode !== 0 && last.Output ? { healthOutput: last.Output.trim() } : {}),
    ...(s.OOMKilled ? { oomKilled: true } : {}),
    restartCount: info.RestartCount,
    ...(s.StartedAt && !s.StartedAt.startsWith('0001') ? { startedAt: s.StartedAt } : {}),
    ...(ended && s.FinishedAt && !s.FinishedAt.startsWith('0001') ? { finishedAt: s.FinishedAt } : {}),
  };
}
