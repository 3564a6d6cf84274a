// `up`: starts a compose project (or some of its services) in dependency order, honouring each depends_on
// condition, one `compose up -d --no-deps` per group of services whose conditions are met, so Handshake
// controls the order and stops at the first failure, explaining which services it blocked and why.
import { withDependencies, type ComposeProject } from '../compose';
import { ComposeError } from '../compose/model';
import { detectComposeCli, runCompose } from './composeCli';
import { conditionVerdict, settledPhase, settledVerdict, type Verdict } from './conditions';
import type { BlockedService, OrchestrationResult, ProgressListener, ProgressPhase, ServiceFailure } from './progress';
import { describeFailure, openServiceWatch, type ServiceWatch } from './watch';

export interface UpOptions {
  /** Start only the named services, without their dependencies (compose's --no-deps). */
  noDeps?: boolean;
  onProgress?: ProgressListener;
  env?: NodeJS.ProcessEnv;
  /** Give up on a service that has not settled (health still starting, job still running) after this long. */
  timeoutMs?: number;
}

type Status = 'pending' | 'launching' | 'started' | 'settled';

export async function up(project: ComposeProject, services: string[] = [], options: UpOptions = {}): Promise<OrchestrationResult> {
  const env = options.env ?? process.env;
  const targets = targetServices(project, services, options.noDeps ?? false);
  const cli = await detectComposeCli(env);
  const watch = await openServiceWatch(project, env);
  try {
    return await new UpRun(project, targets, watch, options).run((names) =>
      runCompose(cli, project, ['up', '-d', '--no-deps', ...names], env).then(() => undefined));
  } finally {
    watch.close();
  }
}

/** The services `up` starts, in dependency order; unknown names are a compose error naming the services. */
export function targetServices(project: ComposeProject, services: string[], noDeps: boolean): string[] {
  const known = Object.keys(project.services);
  for (const name of services) {
    if (!project.services[name]) throw new ComposeError(project.files[0] ?? '', 0, `no service named ${name} (services: ${known.join(', ')})`);
  }
  const wanted = noDeps && services.length ? new Set(services) : withDependencies(project, services);
  return known.filter((name) => wanted.has(name));
}

class UpRun {
  private readonly status = new Map<string, Status>();
  private readonly settled: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly began = Date.now();
  private failure: { service: string; reason: string } | undefined;
  private finish!: () => void;

  constructor(private readonly project: ComposeProject, private readonly targets: string[],
    private readonly watch: ServiceWatch, private readonly options: UpOptions) {}

  async run(launch: (services: string[]) => Promise<void>): Promise<OrchestrationResult> {
    for (const name of this.targets) this.status.set(name, 'pending');
    const done = new Promise<void>((resolve) => { this.finish = resolve; });
    const unsubscribe = this.watch.onChange(() => this.step(launch));
    const timer = setTimeout(() => this.timeout(), this.options.timeoutMs ?? 300_000);
    try {
      this.step(launch);
      await done;
      // Never leave a compose process behind: let the ones already started finish.
      await Promise.allSettled([...this.inFlight]);
    } finally {
      clearTimeout(timer);
      unsubscribe();
    }
    return this.result();
  }

  /** Re-judges every service against the newest container states; launches the ones whose conditions hold. */
  private step(launch: (services: string[]) => Promise<void>): void {
    if (this.failure) return;
    for (const name of this.targets) {
      const status = this.status.get(name);
      if (status !== 'started' && status !== 'settled') continue;
      const verdict = settledVerdict(this.project, name, this.watch.snapshot(name));
      if (verdict.kind === 'failed') return this.fail(name, verdict.reason);
      if (verdict.kind === 'met' && status === 'started') {
        this.status.set(name, 'settled');
        this.settled.push(name);
        this.emit(name, settledPhase(this.watch.snapshot(name)));
      }
    }
    const ready: string[] = [];
    for (const name of this.targets) {
      if (this.status.get(name) !== 'pending') continue;
      const verdict = this.dependencyVerdict(name);
      if (verdict.kind === 'met') ready.push(name);
    }
    if (ready.length) this.launch(ready, launch);
    if (this.targets.every((name) => this.status.get(name) === 'settled')) this.finish();
  }

  /** Met when every dependency in this run meets its condition; failures surface on the dependency itself. */
  private dependencyVerdict(name: string): Verdict {
    if (this.options.noDeps) return { kind: 'met' };
    for (const dep of this.project.services[name]?.dependsOn ?? []) {
      if (!this.status.has(dep.service)) continue;
      // A dependency counts only once this run has started it: an old container's state says nothing.
      const started = ['started', 'settled'].includes(this.status.get(dep.service) as Status);
      const verdict = started ? conditionVerdict(dep.condition, this.watch.snapshot(dep.service)) : undefined;
      if (verdict?.kind !== 'met') {
        const why = verdict?.kind === 'wait' ? verdict.why : 'not started yet';
        this.emitOnce(name, 'waiting', `needs ${dep.service} ${dep.condition.replace('service_', '').replace('_', ' ')} (${why})`);
        return { kind: 'wait', why };
      }
    }
    return { kind: 'met' };
  }

  private launch(names: string[], launch: (services: string[]) => Promise<void>): void {
    for (const name of names) {
      this.status.set(name, 'launching');
      this.emit(name, 'creating');
    }
    const job = launch(names).then(() => this.watch.refresh(names)).then(() => {
      for (const name of names) {
        this.status.set(name, 'started');
        this.emit(name, 'starting');
      }
      this.step(launch);
    }, (e: Error) => this.fail(names[0] as string, e.message))
      .finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
  }

  private timeout(): void {
    const waiting = this.targets.find((name) => this.status.get(name) === 'started') ?? this.targets.find((name) => this.status.get(name) !== 'settled');
    if (waiting) this.fail(waiting, `did not settle within ${Math.round((this.options.timeoutMs ?? 300_000) / 1000)} s`);
  }

  private fail(service: string, reason: string): void {
    if (this.failure) return;
    this.failure = { service, reason };
    this.emit(service, 'failed', reason);
    for (const b of this.blocked()) this.emit(b.service, 'blocked', b.chain.length > 1 ? `by ${b.chain.slice(1).join(' <- ')}` : `up stopped at ${service}`);
    this.finish();
  }

  /** Targets never launched, each with its dependency chain down to the failed service (when it has one). */
  private blocked(): BlockedService[] {
    const failed = this.failure?.service;
    const chainTo = (from: string, seen = new Set<string>()): string[] | undefined => {
      if (from === failed) return [from];
      if (seen.has(from)) return undefined;
      seen.add(from);
      for (const dep of this.project.services[from]?.dependsOn ?? []) {
        const rest = chainTo(dep.service, seen);
        if (rest) return [from, ...rest];
      }
      return undefined;
    };
    return this.targets.filter((name) => this.status.get(name) === 'pending')
      .map((service) => ({ service, chain: chainTo(service) ?? [service] }));
  }

  private async result(): Promise<OrchestrationResult> {
    let failure: ServiceFailure | undefined;
    if (this.failure) failure = await describeFailure(this.watch, this.failure.service, this.failure.reason);
    return { ok: !this.failure, settled: this.settled, failure, blocked: this.failure ? this.blocked() : [], elapsedMs: Date.now() - this.began };
  }

  private readonly lastDetail = new Map<string, string>();

  private emitOnce(service: string, phase: ProgressPhase, detail: string): void {
    if (this.lastDetail.get(service) === `${phase}:${detail}`) return;
    this.emit(service, phase, detail);
  }

  private emit(service: string, phase: ProgressPhase, detail?: string): void {
    this.lastDetail.set(service, `${phase}:${detail ?? ''}`);
    this.options.onProgress?.({ service, phase, detail, elapsedMs: Date.now() - this.began });
  }
}
