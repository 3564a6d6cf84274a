// The one state model of the stack: Docker events and probe results in, a StackState out, 'change'
// emitted (debounced by a few ms) whenever it differs. The tree view (over LSP), `handshake status`,
// `why` and the orchestrator all read this. Probes re-run on container events and on a short interval
// (probes/schedule.ts).
import { EventEmitter } from 'node:events';
import type { ContainerState, EngineState, StackState } from '../../$shared/protocol';
import type { HandshakeConfig } from '../config/config';
import { loadComposeProject, type ComposeProject } from './compose';
import { watchComposeFiles } from './compose/watch';
import { connectEngine, engineDown, engineEnv, probeEngine, type EngineClients } from './engine/connect';
import { selectEngine, type EngineTarget } from './engine/select';
import { inspectContainer, projectContainers } from './engine/containers';
import { ProjectEvents, type ContainerEvent } from './engine/events';
import { engineRoute } from './probes/route';
import { ProbeScheduler } from './probes/schedule';
import { computeStackState, stateSignature } from './readiness/compute';

export interface StackMonitorOptions {
  workspace: string;
  config: HandshakeConfig;
  env?: NodeJS.ProcessEnv;
  /** The engine to read (selectEngine's choice); default: as the Docker CLI would choose it, with the config's docker.context. */
  engine?: EngineTarget;
  /** How often probes re-run without an event (default 5 s). */
  probeIntervalMs?: number;
  /** Changes closer together than this are published once (default 5 ms). */
  debounceMs?: number;
  /** Reload the compose project when its files (or .env) change: the daemon and `status --watch` do. */
  watchFiles?: boolean;
}

/** The orchestrator's reading of the same model: the project it loaded already, and containers only (`up`
 *  waits on containers; probes would compete with Compose for the CPU while it starts the stack). */
export interface ContainerMonitorOptions {
  project: ComposeProject;
  env?: NodeJS.ProcessEnv;
  engine?: EngineTarget;
}

/** Events after which a running container's probes are worth running again at once. */
const REPROBE_ON = new Set(['start', 'restart', 'unpause', 'health_status']);

export declare interface StackMonitor {
  on(event: 'change', listener: (state: StackState) => void): this;
}

export class StackMonitor extends EventEmitter {
  project: ComposeProject | undefined;
  state: StackState;
  private composeError: string | undefined;
  private engine: EngineState;
  private readonly clients: EngineClients;
  private events: ProjectEvents | undefined;
  private containers = new Map<string, ContainerState>();
  private readonly stoppedOnRequest = new Set<string>();
  /** Per service, the latest inspect asked for: older answers arriving late (inspect waits while Docker holds a container's lock) are dropped. */
  private readonly inspectSeq = new Map<string, number>();
  private publishTimer: NodeJS.Timeout | undefined;
  private lastPublished = '';
  private unwatchFiles: (() => void) | undefined;
  private loading: Promise<StackState> | undefined;
  /** Set by stop(): a load still in progress must not open streams or timers after it. */
  private stopped = false;
  /** The workspace's options; undefined for the orchestrator's containers-only monitor (no probes then). */
  private readonly workspace: StackMonitorOptions | undefined;
  private readonly probes: ProbeScheduler | undefined;

  constructor(private readonly options: StackMonitorOptions | ContainerMonitorOptions) {
    super();
    const env = options.env ?? process.env;
    this.workspace = 'project' in options ? undefined : options;
    this.clients = connectEngine(options.engine ?? selectEngine({ config: this.workspace?.config }, env), env);
    this.engine = { status: 'unreachable', socket: this.clients.socket, ...(this.clients.name ? { name: this.clients.name } : {}), error: 'not checked yet' };
    this.state = this.compute();
    this.probes = this.workspace && new ProbeScheduler(this.workspace.config, env, engineRoute(this.clients), {
      project: () => this.project,
      container: (service) => this.containers.get(service),
      changed: () => this.publish(),
    });
  }

  /** Loads the compose project, connects to the engine and resolves with the first full state (about 2 s at most when the engine is down). */
  start(): Promise<StackState> {
    this.stopped = false;
    this.loading = this.load();
    return this.loading;
  }

  /** The compose files changed: drop what was known and load again (after any load in progress). */
  reload(): Promise<StackState> {
    this.loading = (this.loading ?? Promise.resolve(this.state)).catch(() => this.state).then(() => {
      if (this.stopped) return this.state;
      this.detach();
      this.project = undefined;
      this.composeError = undefined;
      this.containers.clear();
      this.probes?.results.clear();
      return this.load();
    });
    return this.loading;
  }

  private async load(): Promise<StackState> {
    const options = this.options;
    try {
      this.project = 'project' in options ? options.project : loadComposeProject(options.workspace, options.config, options.env ?? process.env);
    } catch (e) {
      this.composeError = (e as Error).message;
    }
    const workspace = this.workspace;
    if (workspace?.watchFiles) {
      this.unwatchFiles?.();
      this.unwatchFiles = watchComposeFiles(workspace.workspace, this.project?.files ?? [], () => void this.reload());
    }
    if (!this.project) return this.publishNow();
    this.engine = await probeEngine(this.clients);
    if (this.stopped) return this.state;
    const events = new ProjectEvents(this.clients.streaming, this.project.name);
    this.events = events;
    const first = new Promise<void>((resolve) => {
      events.on('connected', () => void this.reconnected().finally(resolve));
      events.on('disconnected', (error) => void this.lost(error).finally(resolve));
    });
    events.on('event', (e) => void this.onEvent(e));
    events.start();
    // Down already: say so now rather than after the event stream's own connect timeout.
    if (this.engine.status === 'connected') await first;
    if (this.stopped) {
      this.detach();
      return this.state;
    }
    this.probes?.start(this.workspace?.probeIntervalMs ?? 5000);
    return this.publishNow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.detach();
    this.unwatchFiles?.();
    clearTimeout(this.publishTimer);
    this.clients.close();
  }

  /** The environment that points Docker Compose at this monitor's engine (the same ssh connection, for ssh://). */
  composeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return engineEnv(this.clients, env);
  }

  private detach(): void {
    this.events?.stop();
    this.events = undefined;
    this.probes?.stop();
  }

  private async reconnected(): Promise<void> {
    this.engine = await probeEngine(this.clients);
    await this.snapshot();
  }

  private async lost(error: Error): Promise<void> {
    const engine = await probeEngine(this.clients);
    // The stream can end while the engine still answers (a proxy, a restart racing us): the events reconnect by themselves.
    this.engine = engine.status === 'connected' ? engineDown(this.clients, error) : engine;
    this.containers.clear();
    this.probes?.results.clear();
    this.publish();
  }

  private async snapshot(): Promise<void> {
    try {
      await this.refresh();
      await this.probes?.probeAll();
    } catch (e) {
      this.engine = engineDown(this.clients, e as Error);
      this.containers.clear();
      this.publish();
    }
  }

  /** A service's container as last read (undefined: none), newer than the debounced state: the orchestrator judges by it. */
  container(service: string): ContainerState | undefined {
    return this.containers.get(service);
  }

  /** Re-reads the named services' (all when none are named) newest containers: the orchestrator asks once Compose
   *  is done with them, since a container Compose found up to date sends no event. */
  async refresh(services?: string[]): Promise<void> {
    const project = this.project;
    if (!project) return;
    const names = services?.length ? services : Object.keys(project.services);
    // Numbered before the list is read: an event's inspect issued meanwhile knows better than this list.
    const seqs = new Map(names.map((service) => [service, this.nextInspect(service)]));
    const ids = await projectContainers(this.clients.docker, project.name);
    await Promise.all(names.map(async (service) => {
      const id = ids.get(service);
      const state = id ? await inspectContainer(this.clients.docker, id).catch(() => undefined) : undefined;
      // Gone between list and inspect (its destroy event follows), or overtaken by a newer read.
      if ((id && !state) || this.inspectSeq.get(service) !== seqs.get(service)) return;
      if (state) this.containers.set(service, this.withStopFlag(state));
      else this.containers.delete(service);
    }));
    this.publish();
  }

  private nextInspect(service: string): number {
    const seq = (this.inspectSeq.get(service) ?? 0) + 1;
    this.inspectSeq.set(service, seq);
    return seq;
  }

  private async onEvent(e: ContainerEvent): Promise<void> {
    const service = e.service;
    if (!service || !this.project?.services[service]) return;
    if (e.action === 'stop') this.stoppedOnRequest.add(e.id);
    if (e.action === 'start' || e.action === 'create') this.stoppedOnRequest.delete(e.id);
    if (e.action === 'destroy') {
      this.stoppedOnRequest.delete(e.id);
      if (this.containers.get(service)?.id === e.id) this.containers.delete(service);
      this.probes?.results.delete(service);
      this.publish();
      return;
    }
    const seq = this.nextInspect(service);
    let state: ContainerState;
    try {
      state = await inspectContainer(this.clients.docker, e.id);
    } catch {
      return; // Gone already: its destroy event follows.
    }
    if (this.inspectSeq.get(service) !== seq) return;
    this.containers.set(service, this.withStopFlag(state));
    if (state.status !== 'running') this.probes?.results.delete(service);
    this.publish();
    // A container that stopped is probed too: "refused on 127.0.0.1:8002" is what its clients now meet.
    if (state.status !== 'running' || REPROBE_ON.has(e.action)) await this.probes?.probeService(service);
  }

  private withStopFlag(state: ContainerState): ContainerState {
    return state.id && this.stoppedOnRequest.has(state.id) ? { ...state, stoppedOnRequest: true } : state;
  }

  private compute(): StackState {
    return computeStackState({ engine: this.engine, project: this.project, composeError: this.composeError,
      containers: Object.fromEntries(this.containers), probes: Object.fromEntries(this.probes?.results ?? []), targets: this.probes?.targets ?? [] });
  }

  /** Debounced: a burst of events (kill, die, stop) becomes one change. */
  private publish(): void {
    if (this.publishTimer) return;
    this.publishTimer = setTimeout(() => {
      this.publishTimer = undefined;
      this.publishNow();
    }, this.workspace?.debounceMs ?? 5);
  }

  private publishNow(): StackState {
    this.state = this.compute();
    const key = stateSignature(this.state);
    if (key !== this.lastPublished) {
      this.lastPublished = key;
      this.emit('change', this.state);
    }
    return this.state;
  }
}
