// Reads one inbound frame into a ClientMessage, or says exactly why it is not one (validation_error data),
// and builds outbound events in the flat envelope.
import { isUtf8 } from 'node:buffer';
import Ajv from 'ajv';
import clientMessageSchema from '../../schemas/client-message.schema.json';
import type { ClientMessage, ErrorData, ServerEvent, ServerEventType } from '../../$shared/wire';

const ajv = new Ajv({ allErrors: false, strict: false });
// Compiled once per process: every inbound text frame is checked against the published schema.
const validateClientMessage = ajv.compile<ClientMessage>(clientMessageSchema);

export type Intake = { ok: true; message: ClientMessage } | { ok: false; error: ErrorData };

export function readFrame(payload: Buffer, isBinary: boolean): Intake {
  if (isBinary) return invalid('binary_frame', 'binary frames are not part of the protocol; send JSON text');
  // ws leaves UTF-8 to us (skipUTF8Validation) so a bad frame is a validation_error, not a 1007 close.
  if (!isUtf8(payload)) return invalid('invalid_utf8', 'the text frame is not valid UTF-8');
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (e) {
    return invalid('invalid_json', `not valid JSON: ${(e as Error).message}`);
  }
  if (!validateClientMessage(value)) {
    const err = validateClientMessage.errors?.[0];
    const where = err?.instancePath || '(message)';
    const extra = err?.keyword === 'additionalProperties' ? ` (${String(err.params.additionalProperty)})` : '';
    return invalid('schema_invalid', `${where} ${err?.message ?? 'is invalid'}${extra}`, { path: where, keyword: err?.keyword });
  }
  return { ok: true, message: value };
}

function invalid(code: string, message: string, more: Record<string, unknown> = {}): Intake {
  return { ok: false, error: { code, message, retryable: false, ...more } };
}

export interface RunContext { runId: string | null; threadId: string | null; agentName: string | null }

export const NO_RUN: RunContext = { runId: null, threadId: null, agentName: null };

export function makeEvent(type: ServerEventType, userId: string, context: RunContext, data: Record<string, unknown>, toolName?: string): ServerEvent {
  const event: ServerEvent = { type, run_id: context.runId, thread_id: context.threadId, user_id: userId, agent_name: context.agentName, timestamp: isoNow(), data };
  if (toolName !== undefined) event.tool_name = toolName;
  return event;
}

let lastMs = 0;
let lastIso = '';

/** ISO-8601 UTC of now, formatted once per millisecond (every event carries one; this is the hot path). */
function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}
