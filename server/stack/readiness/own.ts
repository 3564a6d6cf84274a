// A service's readiness from its own container and probes alone, before dependencies are considered:
// the exit code and what it usually means, health, and probes (failing probes are "pending" while the
// container is young, "failed" once it has had time to come up).
import type { ContainerState, ProbeResult, Readiness, RootCause } from '../../../$shared/protocol';

/** How long after start a failing probe still counts as "starting" when no healthcheck start_period says otherwise. */
export const PROBE_GRACE_MS = 10_000;

export interface OwnState {
  readiness: Readiness;
  summary: string;
  /** Set when the service is broken by itself (failed), or stands still (absent, pending) as a chain's root. */
  cause: Omit<RootCause, 'service'>;
}

/** What an exit code usually means, for the codes people meet. */
export function exitMeaning(code: number): string {
  switch (code) {
    case 1: return 'general error';
    case 2: return 'misuse or bad arguments';
    case 126: return 'command not executable';
    case 127: return 'command not found or a shared library missing';
    case 134: return 'aborted (SIGABRT)';
    case 137: return 'killed (SIGKILL: docker kill, out of memory or stop timeout)';
    case 139: return 'segmentation fault (SIGSEGV)';
    case 143: return 'terminated (SIGTERM)';
    default: return code > 128 ? `killed by signal ${code - 128}` : 'error';
  }
}

export interface OwnInput {
  container: ContainerState;
  probes: ProbeResult[] | undefined;
  probeCount: number;
  /** Some dependent waits for it with service_completed_successfully: exiting 0 is its job. */
  oneShot: boolean;
  graceMs: number;
  now: number;
}

export function ownState({ container: c, probes, probeCount, oneShot, graceMs, now }: OwnInput): OwnState {
  const logs = { ...(c.firstErrorLine ? { firstErrorLine: c.firstErrorLine } : {}), ...(c.lastLogLines ? { lastLogLines: c.lastLogLines } : {}) };
  const failed = (summary: string, extra: Partial<RootCause> = {}): OwnState => ({ readiness: 'failed', summary, cause: { summary, ...extra, ...logs } });
  const waiting = (readiness: Readiness, summary: string): OwnState => ({ readiness, summary, cause: { summary } });
  switch (c.status) {
    case 'absent': return waiting('absent', 'no container (not created yet)');
    case 'created': return waiting('pending', 'created, not started');
    case 'removing': return waiting('pending', 'being removed');
    case 'paused': return waiting('stopped', 'paused');
    case 'dead': return failed('container is dead (Docker could not stop or remove it)', { exitCode: c.exitCode });
    case 'restarting': {
      const code = c.exitCode ?? 0;
      return code !== 0 ? failed(`crash loop: exited with code ${code} (${exitMeaning(code)}), restarted ${c.restartCount ?? 0} times`, { exitCode: code })
        : waiting('pending', 'restarting');
    }
    case 'exited': {
      const code = c.exitCode ?? 0;
      if (c.stoppedOnRequest) return waiting('stopped', `stopped (exit code ${code})`);
      if (c.oomKilled) return failed(`killed: out of memory (exit code ${code})`, { exitCode: code });
      if (code === 0) return oneShot ? { readiness: 'ready', summary: 'completed (exit code 0)', cause: { summary: 'completed' } } : waiting('stopped', 'exited with code 0');
      return failed(`exited with code ${code} (${exitMeaning(code)})`, { exitCode: code });
    }
    case 'running': break;
  }
  if (c.health === 'unhealthy') {
    const output = c.healthOutput?.trim();
    return failed(`unhealthy${output ? `: ${firstLine(output)}` : ''}`, output ? { healthOutput: output } : {});
  }
  if (c.health === 'starting') return waiting('pending', 'health: starting');
  if (oneShot) return waiting('pending', 'running (a one-shot job; dependents wait for it to exit 0)');
  if (probeCount > 0 && !probes) return waiting('pending', `running; ${probeCount} probe${probeCount > 1 ? 's' : ''} not run yet`);
  const failing = (probes ?? []).filter((p) => !p.ok);
  const health = c.health === 'healthy' ? 'healthy' : 'running';
  if (failing.length === 0) return { readiness: 'ready', summary: probeCount ? `${health}, ${probeCount} probe${probeCount > 1 ? 's' : ''} pass` : health, cause: { summary: health } };
  const detail = (failing[0] as ProbeResult).detail;
  const age = c.startedAt ? now - Date.parse(c.startedAt) : Number.POSITIVE_INFINITY;
  if (age < graceMs) return waiting('pending', `starting: ${detail}`);
  return failed(`probe failed: ${detail}`);
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
