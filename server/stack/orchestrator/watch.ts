// What `up` and `restart` wait on: the stack's one state model, the StackMonitor, reading this project's
// containers only. Its event stream is open before anything starts, so no change is missed (this engine
// sends no health_status 'starting' event to catch up with). And the fail-fast engine check of every verb.
import type { EngineState } from '../../../$shared/protocol';
import type { ComposeProject } from '../compose/model';
import { connectEngine, probeEngine } from '../engine/connect';
import { StackMonitor } from '../monitor';
import type { ServiceFailure } from './progress';

/** The engine did not answer: its message names the socket tried, its hint says what to do. */
export class EngineUnreachableError extends Error {
  constructor(readonly engine: EngineState) {
    super(`${engine.error ?? 'Docker Engine unreachable'}${engine.hint ? `; ${engine.hint}` : ''}`);
  }
}

/** Connects to the engine, or throws EngineUnreachableError within about 2 s: before any compose command runs. */
export async function requireEngine(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const engine = await probeEngine(connectEngine(env));
  if (engine.status !== 'connected') throw new EngineUnreachableError(engine);
}

/** A started containers-only monitor of the project, or EngineUnreachableError (within about 2 s) when the
 *  engine or its event stream does not answer. The caller stops it. */
export async function watchStack(project: ComposeProject, env: NodeJS.ProcessEnv = process.env): Promise<StackMonitor> {
  const monitor = new StackMonitor({ project, env });
  const { engine } = await monitor.start();
  if (engine.status === 'connected') return monitor;
  await monitor.stop();
  throw new EngineUnreachableError(engine);
}

/** The failed service's exit code, failing health output, first error line and last log lines. */
export async function describeFailure(monitor: StackMonitor, service: string, reason: string): Promise<ServiceFailure> {
  await monitor.refresh([service]).catch(() => undefined);
  const s = monitor.container(service);
  return { service, reason, exitCode: s?.exitCode, healthOutput: s?.healthOutput, firstErrorLine: s?.firstErrorLine, lastLines: s?.lastLogLines };
}
