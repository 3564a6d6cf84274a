// The progress stream of `up` and `restart`, and the result they end with: one shape for the CLI's lines,
// its --json output and the extension's view.

// The shapes cross the wire to the extension (Start Stack…), so they live with the protocol.
import type { OrchestrationResult, ProgressEvent } from '../../../$shared/protocol';

export type { BlockedService, OrchestrationResult, ProgressEvent, ProgressPhase, ServiceFailure } from '../../../$shared/protocol';

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
