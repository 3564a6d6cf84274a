// The panel's event timeline as plain data: rows from received events, sent messages and inspector frames,
// the filter (text, hide ping/pong), and timings relative to the last send. The page renders these; tests
// read them without a browser.
import type { FrameRecord } from '../../../$shared/protocol';
import type { ReceivedEvent } from '../../../$shared/wire';

export interface TimelineRow {
  seq: number;
  /** Epoch ms the row happened (received, sent, recorded). */
  at: number;
  from: 'client' | 'server';
  type: string;
  runId?: string;
  userId?: string;
  /** One line: tool or agent, and the start of the data. */
  summary: string;
  /** The whole value, for the JSON tree. */
  value: unknown;
}

/** Rows kept per timeline: the oldest go first (the inspector keeps the full record). */
export const MAX_ROWS = 2000;
const PING_PONG = new Set(['ping', 'pong']);

export function rowOfEvent(seq: number, at: string, event: ReceivedEvent): TimelineRow {
  const data = JSON.stringify(event.data);
  const who = event.tool_name ?? event.agent_name ?? '';
  return {
    seq, at: Date.parse(at), from: 'server', type: event.type, summary: `${who}${who ? ' ' : ''}${data.length > 90 ? `${data.slice(0, 89)}…` : data}`,
    value: event, ...(event.run_id ? { runId: event.run_id } : {}), ...(event.user_id ? { userId: event.user_id } : {}),
  };
}

export function rowOfSent(seq: number, at: number, message: unknown): TimelineRow {
  const type = typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string'
    ? (message as { type: string }).type : '(text)';
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  return { seq, at, from: 'client', type, summary: text.length > 90 ? `${text.slice(0, 89)}…` : text, value: message };
}

/** An inspector frame (Connections view selection) as a row; its text is parsed when it is JSON. */
export function rowOfFrame(frame: FrameRecord): TimelineRow {
  let value: unknown = frame.text ?? `<${frame.opcode} frame of ${frame.size} bytes>`;
  try {
    if (frame.text && frame.opcode === 'text') value = JSON.parse(frame.text);
  } catch {
    // Not JSON: the row shows the text as it is.
  }
  const text = frame.text ?? '';
  return { seq: frame.seq, at: Date.parse(frame.at), from: frame.from, type: frame.jsonType ?? frame.opcode,
    summary: `${frame.size} B${frame.truncated ? ' (cut)' : ''} ${text.length > 80 ? `${text.slice(0, 79)}…` : text}`, value };
}

/** Appends, dropping the oldest rows past MAX_ROWS. */
export function appendRow(rows: TimelineRow[], row: TimelineRow): TimelineRow[] {
  rows.push(row);
  if (rows.length > MAX_ROWS) rows.splice(0, rows.length - MAX_ROWS);
  return rows;
}

export interface TimelineFilter {
  /** Case-insensitive, against the type and the summary. */
  text: string;
  hidePingPong: boolean;
}

export function rowVisible(row: TimelineRow, filter: TimelineFilter): boolean {
  if (filter.hidePingPong && PING_PONG.has(row.type)) return false;
  const needle = filter.text.trim().toLowerCase();
  return !needle || row.type.toLowerCase().includes(needle) || row.summary.toLowerCase().includes(needle);
}

/** "+1.234 s" after the reference (the last send), or the clock time when there is none or it came before. */
export function timing(row: TimelineRow, since: number | undefined): string {
  if (since === undefined || row.at < since) return new Date(row.at).toISOString().slice(11, 23);
  const ms = row.at - since;
  return ms < 1000 ? `+${ms} ms` : `+${(ms / 1000).toFixed(3)} s`;
}
