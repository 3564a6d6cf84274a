// What the stack commands say, as plain functions (tested without VS Code): the progress line per service,
// the notice a result ends with, the services a command may be asked about, and the service a tree item is.
import type { ProgressEvent, StackAction, StackCommandResult, StackState } from '../../$shared/protocol';

/** One progress message per event: "migrate: failed — exited with code 1 (general error)". */
export function progressMessage(e: ProgressEvent): string {
  return `${e.service}: ${e.phase}${e.detail ? ` — ${e.detail}` : ''}`;
}

const DONE: Record<StackAction, string> = { up: 'ready', stop: 'stopped', restart: 'ready again' };

export interface Notice {
  severity: 'info' | 'warning' | 'error';
  message: string;
  /** The failed service, for the "Why?" and "Show Logs" actions. */
  service?: string;
}

/** The one notification a finished command shows: what is ready, or the failed service, its cause and what it blocked. */
export function resultNotice(action: StackAction, services: string[], r: StackCommandResult): Notice {
  const what = services.length ? services.join(', ') : 'the stack';
  if (r.cancelled) return { severity: 'warning', message: `Handshake: stopped waiting for ${what}; containers were left as they are.` };
  if (r.error) return { severity: 'error', message: `Handshake: could not ${action === 'up' ? 'start' : action} ${what}: ${r.error}` };
  const seconds = (r.elapsedMs / 1000).toFixed(1);
  if (r.ok) {
    const settled = action === 'stop' ? what : r.settled.length ? `${r.settled.length} service(s)` : what;
    return { severity: 'info', message: `Handshake: ${settled} ${DONE[action]} in ${seconds} s.` };
  }
  const f = r.failure;
  if (!f) return { severity: 'error', message: `Handshake: ${what} did not become ${DONE[action]}.` };
  const cause = [f.reason, f.firstErrorLine && !f.reason.includes(f.firstErrorLine) ? f.firstErrorLine : ''].filter(Boolean).join(': ');
  const blocked = r.blocked.length ? ` Blocked: ${r.blocked.map((b) => b.service).join(', ')}.` : '';
  return { severity: 'error', message: `Handshake: ${f.service} failed: ${cause}.${blocked}`, service: f.service };
}

/** The services worth offering for an action: those it would change first, then the rest. */
export function servicesFor(action: StackAction | 'logs' | 'why', state: StackState | undefined): string[] {
  const services = state?.services ?? [];
  const first = services.filter((s) => {
    switch (action) {
      case 'up': return s.readiness !== 'ready';
      case 'stop': return s.container.status === 'running' || s.container.status === 'restarting';
      case 'why': return s.readiness !== 'ready';
      default: return s.container.status !== 'absent';
    }
  });
  return [...first, ...services.filter((s) => !first.includes(s))].map((s) => s.name);
}

/** The service a Stack view item stands for (`service:<name>` and its children), if any. */
export function serviceOfNode(node: unknown): string | undefined {
  const id = typeof node === 'object' && node !== null ? (node as { id?: unknown }).id : undefined;
  const m = typeof id === 'string' ? /^service:([^:]+)/.exec(id) : null;
  return m?.[1];
}
