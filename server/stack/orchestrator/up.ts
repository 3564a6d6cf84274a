// `up`: starts a compose project (or some of its services) in dependency order, honouring each depends_on
// condition, with a progress stream per service, stopping at the first failure and explaining what it blocked.
// By default one `compose up -d` starts the lot and Compose gates each service on its conditions (one
// Compose start-up instead of one per step); Handshake reads progress and failures from the StackMonitor,
// and waits until every service has settled (compose -d returns before the last one is healthy, and v1 exits
// 0 when a service nothing depends on fails). `stepwise` runs one `compose up -d --no-deps` per group whose
// conditions Handshake itself saw met: for Compose versions that ignore conditions, or to create nothing
// before its dependencies are ready.
import type { ComposeProject } from '../compose/model';
import type { EngineTarget } from '../engine/select';
import type { StackMonitor } from '../monitor';
import { detectComposeCli, runCompose } from './composeCli';
import { conditionVerdict, settledPhase, settledVerdict } from './conditions';
import { blockedChains, targetServices } from './targets';
import type { OrchestrationResult, ProgressListener, ProgressPhase } from './progress';
import { describeFailure, watchStack } from './watch';

export interface UpOptions {
  /** Start only the named services, without their dependencies (compose's --no-deps). */
  noDeps?: boolean;
  /** One compose command per group of services whose conditions Handshake saw met (see above). */
  stepwise?: boolean;
  onProgress?: ProgressListener;
  env?: NodeJS.ProcessEnv;
  /** The engine to start the stack on (selectEngine's choice); default: as the Docker CLI would choose it. */
  engine?: EngineTarget;
  /** Give up on a service that has not settled (health still starting, job still running) after this long. */
  timeoutMs?: number;
  /** Stops the waiting (the editor's Cancel): compose commands in flight are stopped, nothing is removed. */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 300_000;
/** The failure reason of an `up` or `restart` the caller cancelled. */
export const CANCELLED = 'cancelled: stopped waiting (containers are left as they are)';

type Status = 'pending' | 'launching' | 'started' | 'settled';
type Launch = (services: string[], signal: AbortSignal) => Promise<void>;

export async function up(project: ComposeProject, services: string[] = [], options: UpOptions = {}): Promise<OrchestrationResult> {
  const env = options.env ?? process.env;
  const targets = targetServices(project, services, options.noDeps ?? false);
  // Both checks at once: the engine (events open before anything starts) and which Compose CLI is there.
  const [cli, monitor] = await Promise.allSettled([detectComposeCli(env), watchStack(project, env, options.engine)]);
  if (monitor.status === 'rejected') throw monitor.reason;
  try {
    if (cli.status === 'rejected') throw cli.reason;
    const noDeps = options.noDeps || options.stepwise ? ['--no-deps'] : [];
    return await new UpRun(project, targets, monitor.value, options).run((names, signal) =>
      runCompose(cli.value, project, ['up', '-d', ...noDeps, ...names], monitor.value.composeEnv(env), signal).then(() => undefined));
  } finally {
    await monitor.value.stop();
  }
}

class UpRun {
  private readonly status = new Map<string, Status>();
  private readonly launchedAt = new Map<string, number>();
  private readonly settled: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private readonly began = Date.now();
  private readonly lastEmitted = new Map<string, string>();
  private failure: { service: string; reason: string } | undefined;
  private finish!: () => void;

  constructor(private readonly project: ComposeProject, private readonly targets: string[],
    private readonly monitor: StackMonitor, private readonly options: UpOptions) {}

  async run(launch: Launch): Promise<OrchestrationResult> {
    for (const name of this.targets) this.status.set(name, 'pending');
    const done = new Promise<void>((resolve) => { this.finish = resolve; });
    const onChange = () => this.step(launch);
    this.monitor.on('change', onChange);
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => this.fail(this.targets.find((n) => this.status.get(n) !== 'settled') as string,
      `did not settle within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
    const cancel = () => this.fail(this.targets.find((n) => this.status.get(n) !== 'settled') ?? this.targets[0] as string, CANCELLED);
    this.options.signal?.addEventListener('abort', cancel, { once: true });
    try {
      if (this.options.signal?.aborted) cancel();
      this.step(launch);
      await done;
      // Never leave a compose process behind: after a failure they were told to stop; wait until they have.
      await Promise.allSettled([...this.inFlight]);
    } finally {
      clearTimeout(timer);
      this.options.signal?.removeEventListener('abort', cancel);
      this.monitor.off('change', onChange);
    }
    const failure = this.failure && await describeFailure(this.monitor, this.failure.service, this.failure.reason);
    return { ok: !failure, settled: this.settled, failure, blocked: this.failure ? this.blocked() : [], elapsedMs: Date.now() - this.began };
  }

  /** Re-judges every service against the newest container states; launches what may start now. */
  private step(launch: Launch): void {
    if (this.failure) return;
    for (const name of this.targets) {
      if (this.status.get(name) === 'launching' && this.startedSinceLaunch(name)) this.markStarted(name);
      const status = this.status.get(name);
      if (status !== 'started' && status !== 'settled') continue;
      const verdict = settledVerdict(this.project, name, this.monitor.container(name));
      if (verdict.kind === 'failed') return this.fail(name, verdict.reason);
      if (verdict.kind === 'met' && status === 'started') {
        this.status.set(name, 'settled');
        this.settled.push(name);
        this.emit(name, settledPhase(this.monitor.container(name)));
      }
    }
    const pending = this.targets.filter((name) => this.status.get(name) === 'pending');
    const ready = this.options.stepwise ? pending.filter((name) => this.dependenciesMet(name)) : pending;
    if (ready.length) this.launch(ready, launch);
    this.announceLaunching();
    if (this.targets.every((name) => this.status.get(name) === 'settled')) this.finish();
  }

  /** True when every dependency started in this run meets its condition; else says (once) what it waits for. */
  private dependenciesMet(name: string): boolean {
    if (this.options.noDeps) return true;
    for (const dep of this.project.services[name]?.dependsOn ?? []) {
      if (!this.status.has(dep.service)) continue;
      // A dependency counts only once this run has started it: an old container's state says nothing.
      const started = ['started', 'settled'].includes(this.status.get(dep.service) as Status);
      const verdict = started ? conditionVerdict(dep.condition, this.monitor.container(dep.service)) : undefined;
      if (verdict?.kind === 'met') continue;
      const why = verdict?.kind === 'wait' ? verdict.why : 'not started yet';
      this.emit(name, 'waiting', `needs ${dep.service} ${dep.condition.replace('service_', '').replace('_', ' ')} (${why})`);
      return false;
    }
    return true;
  }

  /** Services Compose is working on: creating once their dependencies are met (Compose gates them), else waiting. */
  private announceLaunching(): void {
    for (const name of this.targets) {
      if (this.status.get(name) === 'launching' && (this.options.stepwise || this.dependenciesMet(name))) this.emit(name, 'creating');
    }
  }

  /** A container of this service started after its launch: Compose got to it (it may have exited since). */
  private startedSinceLaunch(name: string): boolean {
    const startedAt = this.monitor.container(name)?.startedAt;
    return startedAt !== undefined && Date.parse(startedAt) >= (this.launchedAt.get(name) ?? Infinity);
  }

  private markStarted(name: string): void {
    this.status.set(name, 'started');
    this.emit(name, 'starting');
  }

  private launch(names: string[], launch: Launch): void {
    for (const name of names) {
      this.status.set(name, 'launching');
      this.launchedAt.set(name, Date.now());
    }
    this.announceLaunching();
    const job = launch(names, this.abort.signal).then(async () => {
      // Compose is done with these: the ones it found up to date did not start again, and are started too.
      await this.monitor.refresh(names);
      for (const name of names) if (this.status.get(name) === 'launching') this.markStarted(name);
      this.step(launch);
    }, async (e: Error) => {
      if (this.failure) return;
      // Compose often fails because a service did (a dependency exited): name that service, not Compose.
      await this.monitor.refresh().catch(() => undefined);
      this.step(launch);
      this.fail(names.find((n) => this.status.get(n) === 'launching') ?? names[0] as string, e.message);
    }).finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
  }

  private fail(service: string, reason: string): void {
    if (this.failure) return;
    this.failure = { service, reason };
    this.abort.abort();
    this.emit(service, 'failed', reason);
    for (const b of this.blocked()) this.emit(b.service, 'blocked', b.chain.length > 1 ? `by ${b.chain.slice(1).join(' <- ')}` : `up stopped at ${service}`);
    this.finish();
  }

  /** Targets that never started, each with its dependency chain down to the failed service. */
  private blocked() {
    const never = this.targets.filter((name) => this.status.get(name) === 'pending' || this.status.get(name) === 'launching');
    return blockedChains(this.project, never, this.failure?.service as string);
  }

  /** One event per change: the same phase and detail twice in a row says nothing new. */
  private emit(service: string, phase: ProgressPhase, detail?: string): void {
    const key = `${phase}:${detail ?? ''}`;
    if (this.lastEmitted.get(service) === key) return;
    this.lastEmitted.set(service, key);
    this.options.onProgress?.({ service, phase, detail, elapsedMs: Date.now() - this.began });
  }
}
