// One filter for frames and connections, shared by `handshake inspect`, the control API, the LSP and exports:
// by text, JSON type, sender, user, connection and opcode, with ping/pong hidden on request.
import type { ConnectionFilter, ConnectionSummary, FrameRecord } from '../../$shared/protocol';

const KEYS = ['text', 'type', 'from', 'user', 'connection', 'opcode'] as const;

/** `type:agent_started from:server user:alice connection:conn_… opcode:text` and bare words (text). */
export function parseFilter(terms: string[], hidePingPong = false): ConnectionFilter {
  const filter: ConnectionFilter = hidePingPong ? { hidePingPong } : {};
  const words: string[] = [];
  for (const term of terms.flatMap((t) => t.split(/\s+/)).filter(Boolean)) {
    const colon = term.indexOf(':');
    const key = colon > 0 ? term.slice(0, colon) : '';
    const value = term.slice(colon + 1);
    if (!(KEYS as readonly string[]).includes(key)) {
      words.push(term);
      continue;
    }
    if (key === 'from' && value !== 'client' && value !== 'server') throw new FilterError(`from: must be client or server (got ${JSON.stringify(value)})`);
    if (key === 'opcode' && !['text', 'binary', 'ping', 'pong'].includes(value)) throw new FilterError(`opcode: must be text, binary, ping or pong (got ${JSON.stringify(value)})`);
    if (key === 'text') words.push(value);
    else Object.assign(filter, { [key]: value });
  }
  if (words.length) filter.text = words.join(' ');
  return filter;
}

export class FilterError extends Error {}

export function connectionMatches(c: ConnectionSummary, f: ConnectionFilter): boolean {
  if (f.connection && c.id !== f.connection && !c.id.startsWith(f.connection)) return false;
  if (f.user && c.userId !== f.user) return false;
  return true;
}

export function frameMatches(frame: FrameRecord, f: ConnectionFilter): boolean {
  if (f.hidePingPong && (frame.opcode === 'ping' || frame.opcode === 'pong')) return false;
  if (f.from && frame.from !== f.from) return false;
  if (f.opcode && frame.opcode !== f.opcode) return false;
  if (f.type && frame.jsonType !== f.type) return false;
  if (f.text && !(frame.text ?? '').toLowerCase().includes(f.text.toLowerCase())) return false;
  return true;
}

/** True when the filter says anything about frames (a connection without a matching frame is then left out). */
export function filtersFrames(f: ConnectionFilter): boolean {
  return Boolean(f.text || f.type || f.from || f.opcode);
}
