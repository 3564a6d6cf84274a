// Connections a CLI process makes (`send`, `check`) are recorded by the running daemon, when there is one,
// with the user each belongs to; with none running they are simply not recorded.
import { ConnectionEvents } from '../inspector/events';
import { forwardEvents } from './control-client';
import { findDaemon } from './discovery';

/** A fan-out whose events go to the daemon's recorder; pass it as wsclient's `record.events`. */
export function recordIntoDaemon(named: string | undefined): { events: ConnectionEvents; close(): Promise<void> } | undefined {
  const daemon = findDaemon(named);
  if (!daemon) return undefined;
  const events = new ConnectionEvents();
  const forward = forwardEvents(daemon, events);
  return { events, close: () => forward.close() };
}
