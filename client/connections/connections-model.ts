// The Connections view as plain functions: the inspector's summaries in, tree item descriptions out (who,
// via what, where, state, duration, frames, close code and its meaning). client/connections/connections-view.ts
// only adapts these to TreeItems.
import type { ConnectionSummary } from '../../$shared/protocol';

export interface ConnectionNode {
  id: string;
  label: string;
  description: string;
  tooltip: string;
  icon: string;
  color?: string;
  contextValue: string;
}

/** Connections the view keeps: the inspector holds more; the view shows the recent ones. */
export const MAX_CONNECTIONS = 200;

/** Adds or replaces a summary (by id), newest opened first. */
export function upsertConnection(list: ConnectionSummary[], summary: ConnectionSummary): ConnectionSummary[] {
  const next = [summary, ...list.filter((c) => c.id !== summary.id)];
  next.sort((a, b) => Date.parse(b.openedAt) - Date.parse(a.openedAt));
  return next.slice(0, MAX_CONNECTIONS);
}

export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "closed 1000 (normal closure)", "open", "refused 401 (token_expired)". */
export function stateText(c: ConnectionSummary): string {
  if (c.phase === 'open') return 'open';
  if (c.phase === 'refused') return `refused ${c.status}${c.refusal ? ` (${c.refusal})` : ''}`;
  return c.closeCode === undefined ? 'closed' : `closed ${c.closeCode}${c.closeMeaning ? ` (${c.closeMeaning})` : ''}`;
}

export function connectionNode(c: ConnectionSummary, now: number): ConnectionNode {
  const end = c.closedAt ? Date.parse(c.closedAt) : now;
  const frames = c.framesFromClient + c.framesFromServer;
  const source = c.via ? `${c.source}/${c.via}` : c.source;
  const target = targetText(c.target);
  const abnormal = c.phase === 'refused' || (c.phase === 'closed' && c.closeCode !== undefined && c.closeCode !== 1000 && c.closeCode !== 1001);
  const look = c.phase === 'open' ? { icon: 'plug', color: 'testing.iconPassed' }
    : abnormal ? { icon: c.phase === 'refused' ? 'error' : 'warning', color: c.phase === 'refused' ? 'testing.iconFailed' : 'list.warningForeground' }
      : { icon: 'debug-disconnect' };
  return {
    id: c.id,
    label: c.userId ?? '(no user)',
    description: [source, target, stateText(c), durationText(end - Date.parse(c.openedAt)), `${frames} frame${frames === 1 ? '' : 's'}`].join(' · '),
    tooltip: [
      `${c.userId ?? '(no user)'} via ${source} → ${c.target}`, `from ${c.clientAddress}`, stateText(c),
      c.closeReason ? `reason: ${c.closeReason}` : '', c.closedBy ? `closed by ${c.closedBy}` : '',
      `frames: ${c.framesFromClient} sent, ${c.framesFromServer} received (${c.bytesFromClient + c.bytesFromServer} bytes)`,
      c.droppedFrames ? `${c.droppedFrames} oldest frames no longer kept` : '',
    ].filter(Boolean).join('\n'),
    ...look,
    contextValue: `connection.${c.phase}`,
  };
}

/** host:port/path of a ws URL; the text as it is when it is not one. */
function targetText(target: string): string {
  try {
    const u = new URL(target);
    return `${u.host}${u.pathname}`;
  } catch {
    return target;
  }
}
