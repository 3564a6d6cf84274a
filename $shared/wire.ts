// The agent service's WebSocket protocol as both ends see it: event names, the flat server envelope, the
// client messages, and what a close code means. Plain types and tiny pure functions only: the client
// bundle (panel, inspector views) imports this file too. schemas/server-event.schema.json and
// schemas/client-message.schema.json describe the same shapes for ajv.

/** The events of one agent run, in the order the server emits them (thinking may repeat, tools may repeat). */
export const AGENT_EVENTS = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'] as const;
export type AgentEventType = (typeof AGENT_EVENTS)[number];

/** Error events; each can be produced on purpose (see ClientMessage data.fail and data.timeout_ms). */
export const ERROR_EVENTS = ['validation_error', 'tool_error', 'agent_error', 'timeout_error', 'system_error'] as const;
export type ErrorEventType = (typeof ERROR_EVENTS)[number];

/** Sent instead of handling a message when the user exceeded the profile's messages per minute. */
export const RATE_LIMIT_EVENT = 'rate_limit_exceeded' as const;

/** Events that belong to no run. */
export const SESSION_EVENTS = ['connection_established', 'pong', RATE_LIMIT_EVENT] as const;

export type ServerEventType = AgentEventType | ErrorEventType | (typeof SESSION_EVENTS)[number];

/** Flat envelope of every server event; run_id/thread_id/agent_name are null outside a run. */
export interface ServerEvent<D = Record<string, unknown>> {
  type: ServerEventType;
  run_id: string | null;
  thread_id: string | null;
  user_id: string;
  agent_name: string | null;
  tool_name?: string;
  /** ISO-8601 UTC. */
  timestamp: string;
  data: D;
}

/** `data` of every error event (and of rate_limit_exceeded). */
export interface ErrorData {
  code: string;
  message: string;
  retryable: boolean;
  [more: string]: unknown;
}

export interface Limits {
  messages_per_minute: number;
  max_connections_per_user: number;
  max_message_bytes: number;
  heartbeat_interval_ms: number;
}

export type FailureMode = 'tool' | 'agent' | 'timeout' | 'system';

/** `data` of start_agent / user_message: every field but the text is optional. */
export interface RunRequest {
  query?: string;
  content?: string;
  agent_name?: string;
  tools?: string[];
  step_delay_ms?: number;
  timeout_ms?: number;
  fail?: FailureMode;
}

export type ClientMessage =
  | { type: 'start_agent' | 'user_message'; data: RunRequest; thread_id?: string; run_id?: string }
  | { type: 'stop_agent'; data?: { run_id?: string }; thread_id?: string; run_id?: string }
  | { type: 'ping'; data?: Record<string, unknown>; thread_id?: string; run_id?: string };

/** A received frame as one event shape, whichever envelope carried it (the CLI, the panel and checkers read this). */
export interface ReceivedEvent {
  type: string;
  run_id?: string;
  thread_id?: string;
  user_id?: string;
  agent_name?: string;
  tool_name?: string;
  /** ISO-8601 UTC, whichever envelope carried it; the receive time when the frame had none. */
  timestamp: string;
  data: Record<string, unknown>;
  /** Which envelope the frame used; 'unparsed' for a frame that is not a JSON object with a string type. */
  envelope: 'flat' | 'legacy' | 'unparsed';
}

/**
 * Reads the flat envelope or the older one that inspectors and checkers still accept ({type, payload,
 * timestamp in epoch seconds}) into the flat one's essentials (type and data), or undefined when it is neither.
 */
export function eventEssentials(value: unknown): { type: string; data: Record<string, unknown> } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.type !== 'string') return undefined;
  const data = v.data ?? v.payload ?? {};
  return typeof data === 'object' && data !== null ? { type: v.type, data: data as Record<string, unknown> } : undefined;
}

const CLOSE_CODES: Record<number, string> = {
  1000: 'normal closure',
  1001: 'going away (server shutting down or client left)',
  1002: 'protocol error',
  1003: 'unsupported data',
  1005: 'no status code received',
  1006: 'abnormal closure: no close frame, the TCP connection dropped',
  1007: 'invalid frame payload data (e.g. invalid UTF-8)',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'mandatory extension missing',
  1011: 'internal server error',
  1012: 'service restart',
  1013: 'try again later',
  1014: 'bad gateway',
  1015: 'TLS handshake failure',
};

/** A close code in words, for the CLI, the inspector and probe failures. */
export function closeCodeMeaning(code: number): string {
  const known = CLOSE_CODES[code];
  if (known) return known;
  if (code >= 4000 && code <= 4999) return 'application-defined';
  if (code >= 3000 && code <= 3999) return 'registered by a library or framework';
  return 'unknown close code';
}
