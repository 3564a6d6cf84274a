// What `up` and `restart` wait on: the stack's one state model, the StackMonitor, reading this project's
// containers only. Its event stream is open before anything starts, so no change is missed (this engine
// sends no health_status 'starting' event to catch up with). And the fail-fast engine check of every verb.
import type { EngineState } from '../../../$shared/protocol';
import type { ComposeProject } from '../compose/model';
import { connectEngine, probeEngine, type EngineClients } from '../engine/connect';
import { selectEngine, type EngineTarget } from '../engine/select';
import { StackMonitor } from '../monitor';
import type { ServiceFailure } from './progress';

/** The engine did not answer: its message names the socket tried, its hint says what to do. */
export class EngineUnreachableError extends Error {
  constructor(readonly engine: EngineState) {
    super(`${engine.error ?? 'Docker Engine unreachable'}${engine.hint ? `; ${engine.hint}` : ''}`);
  }
}

/** Connects to the engine, or throws EngineUnreachableError within the call timeout: before any compose command
 *  runs. The caller closes the clients once compose is done with them (an ssh engine's socket lives in them). */
export async function requireEngine(env: NodeJS.ProcessEnv = process.env, target: EngineTarget = selectEngine({}, env)): Promise<EngineClients> {
  const clients = connectEngine(target, env);
  const engine = await probeEngine(clients);
  if (engine.status === 'connected') return clients;
  clients.close();
  throw new EngineUnreachableError(engine);
}

/** A started containers-only monitor of the project, or EngineUnreachableError (within about 2 s) when the
 *  engine or its event stream does not answer. The caller stops it. */
export async function watchStack(project: ComposeProject, env: NodeJS.ProcessEnv = process.env, target?: EngineTarget): Promise<StackMonitor> {
  const monitor = new StackMonitor({ project, env, engine: target });
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
