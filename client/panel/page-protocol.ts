// The messages between the panel's page and the extension host. The page is untrusted (SPEC section 8):
// everything it posts goes through parsePageMessage, which checks every field, before anything acts on it.
import type {
  ConnectionDetail, FrameRecord, PanelAuth, PanelClose, PanelConnectResult, PanelLibrary, SavedMessage,
} from '../../$shared/protocol';
import type { ReceivedEvent } from '../../$shared/wire';

/** Page to host. `column` is the page's own id for a user's column (several users side by side). */
export type PageMessage =
  | { kind: 'ready' }
  | { kind: 'connect'; column: string; user: string; claims: Record<string, unknown>; ttl: string; url: string; auth: PanelAuth }
  | { kind: 'send'; column: string; sessionId: string; message: unknown }
  | { kind: 'disconnect'; sessionId: string }
  | { kind: 'save'; entry: SavedMessage }
  | { kind: 'copy'; text: string };

/** Host to page. */
export type HostMessage =
  | { kind: 'library'; library: PanelLibrary }
  | { kind: 'connected'; column: string; result: PanelConnectResult }
  | { kind: 'sent'; column: string; result: { at: string } | { error: string } }
  | { kind: 'event'; sessionId: string; at: string; event: ReceivedEvent }
  | { kind: 'closed'; sessionId: string; close: PanelClose }
  | { kind: 'saved'; result: { file: string } | { error: string } }
  | { kind: 'inspect'; connection: ConnectionDetail }
  | { kind: 'frames'; connectionId: string; frames: FrameRecord[] }
  /** Several of the above, in order (a burst of events crosses to the webview once). */
  | { kind: 'batch'; messages: HostMessage[] };

const MAX_TEXT = 64 * 1024;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max = 2048): v is string => typeof v === 'string' && v.length <= max;
const id = (v: unknown): v is string => typeof v === 'string' && /^[\w.:-]{1,100}$/.test(v);
const auth = (v: unknown): v is PanelAuth => v === 'header' || v === 'subprotocol';
/** JSON-able and not too big: what may be sent on a socket or written to the saved-messages file. */
const smallJson = (v: unknown): boolean => {
  try {
    return JSON.stringify(v).length <= MAX_TEXT;
  } catch {
    return false;
  }
};

function savedMessage(v: unknown): v is SavedMessage {
  if (!isObject(v) || !str(v.name, 100) || v.name === '' || !isObject(v.message) || !smallJson(v.message)) return false;
  // Expectations: event types or {type, fields}; the daemon checks them against the schema before writing.
  if (v.expect !== undefined && !(Array.isArray(v.expect) && v.expect.length <= 50 && v.expect.every((e) => str(e, 100) || (isObject(e) && str(e.type, 100))))) return false;
  if (v.target !== undefined && !str(v.target)) return false;
  return v.auth === undefined || auth(v.auth);
}

/** The page's message, checked field by field, or undefined (and the host ignores it). */
export function parsePageMessage(v: unknown): PageMessage | undefined {
  if (!isObject(v)) return undefined;
  switch (v.kind) {
    case 'ready':
      return { kind: 'ready' };
    case 'connect':
      if (!id(v.column) || !str(v.user, 200) || v.user === '' || !isObject(v.claims) || !smallJson(v.claims)) return undefined;
      if (!str(v.ttl, 20) || !/^(\d+(ms|s|m|h)?)?$/.test(v.ttl) || !str(v.url) || !/^wss?:\/\//i.test(v.url) || !auth(v.auth)) return undefined;
      return { kind: 'connect', column: v.column, user: v.user, claims: v.claims, ttl: v.ttl, url: v.url, auth: v.auth };
    case 'send':
      if (!id(v.column) || !id(v.sessionId) || !(isObject(v.message) || str(v.message, MAX_TEXT)) || !smallJson(v.message)) return undefined;
      return { kind: 'send', column: v.column, sessionId: v.sessionId, message: v.message };
    case 'disconnect':
      return id(v.sessionId) ? { kind: 'disconnect', sessionId: v.sessionId } : undefined;
    case 'save':
      return savedMessage(v.entry) ? { kind: 'save', entry: v.entry } : undefined;
    case 'copy':
      return str(v.text, MAX_TEXT) ? { kind: 'copy', text: v.text } : undefined;
    default:
      return undefined;
  }
}
