// Turns a received text frame into one event shape. The service speaks a flat envelope
// (`{type, run_id, thread_id, user_id, agent_name, tool_name?, timestamp: ISO, data}`); older builds send
// `{type, payload, timestamp: <epoch seconds>}`. Checkers and the inspector accept both (SPEC section 3).
import { eventEssentials, type ReceivedEvent } from '../../$shared/wire';

export type { ReceivedEvent } from '../../$shared/wire';

/** The event a frame whose content could not be read becomes, so nothing received is silently dropped. */
export const UNPARSED_FRAME = 'unparsed_frame';

const ROUTING_FIELDS = ['run_id', 'thread_id', 'user_id', 'agent_name', 'tool_name'] as const;

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function isoTimestamp(value: unknown, receivedAt: Date): string {
  // Epoch seconds (legacy) and ISO strings (flat) both end up as ISO-8601 UTC.
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000).toISOString();
  // The flat envelope's own form needs no round trip through Date (this runs for every frame).
  if (typeof value === 'string' && ISO_UTC.test(value)) return value;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  return receivedAt.toISOString();
}

export function normaliseEvent(text: string, receivedAt: Date = new Date()): ReceivedEvent {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch (e) {
    return unparsed(text, `not JSON: ${(e as Error).message}`, receivedAt);
  }
  const essentials = eventEssentials(frame);
  if (!essentials) return unparsed(text, 'not an object with a string "type"', receivedAt);
  const envelope = frame as Record<string, unknown>;
  const legacy = !('data' in envelope) && 'payload' in envelope;
  const event: ReceivedEvent = { ...essentials, timestamp: isoTimestamp(envelope.timestamp, receivedAt), envelope: legacy ? 'legacy' : 'flat' };
  for (const field of ROUTING_FIELDS) {
    // The legacy envelope carries routing fields (when it has them) inside its payload.
    const value = envelope[field] ?? (legacy ? essentials.data[field] : undefined);
    if (typeof value === 'string') event[field] = value;
  }
  return event;
}

function unparsed(text: string, error: string, receivedAt: Date): ReceivedEvent {
  return { type: UNPARSED_FRAME, timestamp: receivedAt.toISOString(), data: { error, text: text.slice(0, 200) }, envelope: 'unparsed' };
}
