// What `up` and `restart` wait on: the container state of each service of one project, kept current by the
// engine's event stream (open before anything starts, so no change is missed) and re-read on demand.
import type { ContainerState, EngineState } from '../../../$shared/protocol';
import type { ComposeProject } from '../compose/model';
import { connectEngine, probeEngine, type EngineClients } from '../engine/connect';
import { inspectContainer, projectContainers } from '../engine/containers';
import { ProjectEvents } from '../engine/events';
import type { ServiceFailure } from './progress';

/** The engine did not answer: its message names the socket tried, its hint says what to do. */
export class EngineUnreachableError extends Error {
  constructor(readonly engine: EngineState) {
    super(`${engine.error ?? 'Docker Engine unreachable'}${engine.hint ? `; ${engine.hint}` : ''}`);
  }
}

export interface ServiceWatch {
  snapshot(service: string): ContainerState | undefined;
  /** Calls the listener after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Re-reads the named services' containers (all when none are named) from the engine. */
  refresh(services?: string[]): Promise<void>;
  close(): void;
}

const CONNECT_TIMEOUT_MS = 3000;

/** Connects to the engine, or throws EngineUnreachableError within about 2 s: before any compose command runs. */
export async function requireEngine(env: NodeJS.ProcessEnv = process.env): Promise<{ clients: EngineClients; engine: EngineState }> {
  const clients = connectEngine(env);
  const engine = await probeEngine(clients);
  if (engine.status !== 'connected') throw new EngineUnreachableError(engine);
  return { clients, engine };
}

export async function openServiceWatch(project: ComposeProject, env: NodeJS.ProcessEnv = process.env): Promise<ServiceWatch> {
  const { clients, engine } = await requireEngine(env);

  const states = new Map<string, ContainerState>();
  const listeners = new Set<() => void>();
  const changed = () => { for (const l of listeners) l(); };
  // Reads overlap (inspect waits while Docker holds a container's lock): per service, the newest issued wins.
  let issued = 0;
  const applied = new Map<string, number>();

  const refresh = async (services?: string[]): Promise<void> => {
    const mine = ++issued;
    // The newest container per service: a recreated service's old container says nothing any more.
    const ids = await projectContainers(clients.docker, project.name);
    const names = services?.length ? services : Object.keys(project.services);
    await Promise.all(names.map(async (service) => {
      const id = ids.get(service);
      const state = id ? (await inspectContainer(clients.docker, id).catch(() => undefined))?.state : undefined;
      if ((applied.get(service) ?? 0) > mine || (id && !state)) return;
      applied.set(service, mine);
      if (state) states.set(service, state);
      else states.delete(service);
    }));
    changed();
  };

  const events = new ProjectEvents(clients.streaming, project.name);
  events.on('event', (e) => { if (e.service) void refresh([e.service]).catch(() => undefined); });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new EngineUnreachableError({ ...engine, status: 'unreachable',
      error: `Docker Engine at ${engine.socket} did not open its event stream within ${CONNECT_TIMEOUT_MS} ms` })), CONNECT_TIMEOUT_MS);
    events.once('connected', () => { clearTimeout(timer); resolve(); });
    events.start();
  }).catch((e: Error) => { events.stop(); throw e; });
  await refresh();

  return {
    snapshot: (service) => states.get(service),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh,
    close() {
      listeners.clear();
      events.stop();
    },
  };
}

/** The failed service's exit code, failing health output, first error line and last log lines. */
export async function describeFailure(watch: ServiceWatch, service: string, reason: string): Promise<ServiceFailure> {
  await watch.refresh([service]).catch(() => undefined);
  const s = watch.snapshot(service);
  return { service, reason, exitCode: s?.exitCode, healthOutput: s?.healthOutput, firstErrorLine: s?.firstErrorLine, lastLines: s?.lastLogLines };
}
