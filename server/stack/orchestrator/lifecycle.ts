// stop, restart and logs of a compose project's services, through the Compose CLI. Nothing here removes a
// container, a volume or data: stopping keeps containers for the next `up`.
import { Transform, type Readable } from 'node:stream';
import type { ComposeProject } from '../compose/model';
import { requireService } from '../compose/order';
import { engineEnv } from '../engine/connect';
import type { EngineTarget } from '../engine/select';
import { detectComposeCli, runCompose, spawnCompose } from './composeCli';
import { settledPhase, settledVerdict } from './conditions';
import type { OrchestrationResult, ProgressListener } from './progress';
import { targetServices } from './targets';
import { describeFailure, requireEngine, watchStack } from './watch';
import { CANCELLED } from './up';

export interface LifecycleOptions {
  env?: NodeJS.ProcessEnv;
  /** The engine to act on (selectEngine's choice); default: as the Docker CLI would choose it. */
  engine?: EngineTarget;
  onProgress?: ProgressListener;
  /** restart: how long to wait for the service to settle again. */
  timeoutMs?: number;
  /** restart: stops the waiting (the container keeps running or starting). */
  signal?: AbortSignal;
}

/** Stops the named services (all when none are named); their containers stay for the next `up`. */
export async function stop(project: ComposeProject, services: string[] = [], options: LifecycleOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  const names = services.length ? targetServices(project, services, true) : [];
  const clients = await requireEngine(env, options.engine);
  try {
    const cli = await detectComposeCli(env);
    await runCompose(cli, project, ['stop', ...names], engineEnv(clients, env));
  } finally {
    clients.close();
  }
}

/** Restarts one service and waits until it settles again (healthy, running, or completed for a job). */
export async function restart(project: ComposeProject, service: string, options: LifecycleOptions = {}): Promise<OrchestrationResult> {
  const env = options.env ?? process.env;
  requireService(project, service);
  const cli = await detectComposeCli(env);
  const monitor = await watchStack(project, env, options.engine);
  const began = Date.now();
  const emit: ProgressListener = (e) => options.onProgress?.(e);
  try {
    emit({ service, phase: 'starting', detail: 'restarting', elapsedMs: 0 });
    // compose restart: stop then start the existing container, keeping its configuration and data.
    await runCompose(cli, project, ['restart', service], monitor.composeEnv(env));
    await monitor.refresh([service]);
    const timeoutMs = options.timeoutMs ?? 120_000;
    const reason = await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(`did not settle within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
      const cancel = () => { clearTimeout(timer); monitor.off('change', check); resolve(CANCELLED); };
      options.signal?.addEventListener('abort', cancel, { once: true });
      const check = () => {
        const verdict = settledVerdict(project, service, monitor.container(service));
        if (verdict.kind === 'wait') return;
        clearTimeout(timer);
        monitor.off('change', check);
        options.signal?.removeEventListener('abort', cancel);
        resolve(verdict.kind === 'failed' ? verdict.reason : undefined);
      };
      monitor.on('change', check);
      check();
    });
    const elapsedMs = Date.now() - began;
    if (reason === undefined) {
      emit({ service, phase: settledPhase(monitor.container(service)), elapsedMs });
      return { ok: true, settled: [service], blocked: [], elapsedMs };
    }
    emit({ service, phase: 'failed', detail: reason, elapsedMs });
    return { ok: false, settled: [], failure: await describeFailure(monitor, service, reason), blocked: [], elapsedMs };
  } finally {
    await monitor.stop();
  }
}

export interface LogsOptions {
  env?: NodeJS.ProcessEnv;
  engine?: EngineTarget;
  follow?: boolean;
  /** Lines from the end of the log; all when undefined. */
  tail?: number;
  /** Ends a followed log (Ctrl-C in the CLI). */
  signal?: AbortSignal;
}

/** A service's logs (stdout and stderr) as compose prints them, without the "service_1 |" prefix. */
export async function logs(project: ComposeProject, service: string, options: LogsOptions = {}): Promise<{ stdout: Readable; stderr: Readable; done: Promise<number> }> {
  const env = options.env ?? process.env;
  requireService(project, service);
  const clients = await requireEngine(env, options.engine);
  const cli = await detectComposeCli(env).catch((e: Error) => {
    clients.close();
    throw e;
  });
  const args = ['logs', '--no-color', '--no-log-prefix', ...(options.tail !== undefined ? ['--tail', String(options.tail)] : []),
    ...(options.follow ? ['--follow'] : []), service];
  const child = spawnCompose(cli, project, args, engineEnv(clients, env));
  const abort = () => child.kill('SIGTERM');
  options.signal?.addEventListener('abort', abort, { once: true });
  const done = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clients.close();
      options.signal?.removeEventListener('abort', abort);
      resolve(options.signal?.aborted ? 0 : code ?? 1);
    });
  });
  return { stdout: serviceLines(child.stdout as Readable), stderr: child.stderr as Readable, done };
}

/**
 * The service's own lines, without what Compose adds: v1 opens with "Attaching to <containers>", and v2
 * (2.2x) starts every line with an erase-line sequence (ESC [2K) even when its output is not a terminal.
 */
function serviceLines(stream: Readable): Readable {
  let partial = '';
  let first = true;
  const clean = (line: string): string => {
    const text = line.replace(/^\x1b\[2K/, '');
    const drop = first && /^Attaching to /.test(text);
    first = false;
    return drop ? '' : `${text}\n`;
  };
  return stream.pipe(new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      callback(null, lines.map(clean).join(''));
    },
    flush(callback) {
      callback(null, partial ? clean(partial).slice(0, -1) : '');
    },
  }));
}
