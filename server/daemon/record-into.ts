// Connections a CLI process makes (`send`, `check`) are recorded by the running daemon, when there is one,
// with the user each belongs to; with none running they are simply not recorded.
import { ConnectionEvents } from '../inspector/events';
import type { RecordingOptions } from '../wsclient/recording';
import { forwardEvents } from './control-client';
import { findDaemon } from './discovery';

export function recordIntoDaemon(named: string | undefined, via: string, userId?: string): { options: RecordingOptions; close(): Promise<void> } | undefined {
  const daemon = findDaemon(named);
  if (!daemon) return undefined;
  const events = new ConnectionEvents();
  const forward = forwardEvents(daemon, events);
  return { options: { events, via, ...(userId ? { userId } : {}) }, close: () => forward.close() };
}
