// What `serve` and `proxy` print while they run: one line per connection opened, closed or refused (user
// ids, codes and reasons only: tokens never reach a connection event).
import { closeCodeMeaning } from '../../$shared/wire';
import type { ConnectionObserver } from '../inspector/events';
import type { Output } from './verb';

export function activityLog(io: Output, json: boolean): ConnectionObserver {
  const line = (event: string, fields: Record<string, unknown>, text: string) =>
    io.out(json ? JSON.stringify({ event, at: new Date().toISOString(), ...fields }) : `${new Date().toISOString().slice(11, 19)} ${text}`);
  return {
    connectionOpened: (e) => line('connection_opened', { id: e.id, source: e.source, user: e.userId, remote: e.clientAddress, target: e.target },
      `${e.userId ?? 'anonymous'} connected from ${e.clientAddress}${e.source === 'proxy' ? ` to ${e.target}` : ''} (${e.id})`),
    connectionClosed: (e) => line('connection_closed', { id: e.id, code: e.code, reason: e.reason, ...(e.closedBy ? { closedBy: e.closedBy } : {}) },
      `${e.id} closed ${e.code} ${closeCodeMeaning(e.code)}${e.reason ? `: ${e.reason}` : ''}${e.closedBy ? ` (by the ${e.closedBy})` : ''}`),
    handshakeRefused: (e) => line('handshake_refused', { status: e.status, reason: e.reason, remote: e.clientAddress, target: e.target },
      `refused a handshake from ${e.clientAddress}: HTTP ${e.status} ${e.reason}`),
  };
}
