// The progress stream of `up` and `restart`, and the result they end with: one shape for the CLI's lines,
// its --json output and the extension's view.

/**
 * waiting: its dependencies' conditions are not met yet; creating: compose is creating/starting it;
 * starting: its container runs and it has not settled (health: starting, job still running);
 * healthy / running / completed: settled; failed: it will not settle; blocked: never started because of a failure.
 */
export type ProgressPhase = 'waiting' | 'creating' | 'starting' | 'healthy' | 'running' | 'completed' | 'failed' | 'blocked';

export interface ProgressEvent {
  service: string;
  phase: ProgressPhase;
  /** Why it waits, what it waits for, why it failed or by whom it is blocked. */
  detail?: string;
  /** Milliseconds since the operation began. */
  elapsedMs: number;
}

/** Why a service failed, with what its container said. */
export interface ServiceFailure {
  service: string;
  reason: string;
  exitCode?: number;
  healthOutput?: string;
  firstErrorLine?: string;
  lastLines?: string[];
}

export interface BlockedService {
  service: string;
  /** The chain from this service down to the failed one: [backend, migrate]. */
  chain: string[];
}

export interface OrchestrationResult {
  ok: boolean;
  /** The services in the order they settled. */
  settled: string[];
  failure?: ServiceFailure;
  blocked: BlockedService[];
  elapsedMs: number;
}

export type ProgressListener = (event: ProgressEvent) => void;

/** One line per event for people: "migrate     failed     exited with code 1". */
export function formatProgress(e: ProgressEvent, width: number): string {
  return `${e.service.padEnd(width)}  ${e.phase.padEnd(9)}  ${e.detail ?? ''}`.trimEnd();
}

/** The failure and its blocked chains in words, for the end of `up`. */
export function explainFailure(result: OrchestrationResult): string[] {
  const f = result.failure;
  if (!f) return [];
  const lines = [`${f.service} failed: ${f.reason}`];
  if (f.exitCode !== undefined && !f.reason.includes(`code ${f.exitCode}`)) lines.push(`  exit code: ${f.exitCode}`);
  if (f.healthOutput && !f.reason.includes(f.healthOutput)) lines.push(`  health check said: ${f.healthOutput}`);
  if (f.firstErrorLine) lines.push(`  first error line: ${f.firstErrorLine}`);
  for (const b of result.blocked) {
    lines.push(b.chain.length > 1 ? `${b.service} not started: blocked by ${b.chain.slice(1).join(', which waits for ')} (failed)`
      : `${b.service} not started: up stopped at the failure of ${f.service}`);
  }
  return lines;
}
