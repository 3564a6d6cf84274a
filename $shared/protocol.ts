// Custom LSP messages between the extension (client/) and the daemon (server/), in one place so both
// sides agree on names and shapes (the $shared pattern of vscode-eslint). Plain types only: the client
// bundle must not pull server code in.
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { ReceivedEvent } from './wire';
// A type only (erased): the expectation format lives with its matcher, a pure module both sides bundle.
import type { Expectation } from '../server/wsclient/sequence';

/** Where the local backend listens; the daemon tells the client once it is up. */
export interface BackendInfo {
  httpUrl: string;
  wsUrl: string;
  profile: Profile;
}

export type Profile = 'development' | 'staging' | 'production';

export namespace BackendStartedNotification {
  // Sent by the daemon once its local backend listens (or failed to): the status bar shows it.
  export const method = 'handshake/backendStarted' as const;
  export const type = new NotificationType<BackendInfo | { error: string }>(method);
}

export namespace TokenRequest {
  // Sent by the client when the user asks for a dev token; the daemon signs it with the workspace secret.
  export const method = 'handshake/token' as const;
  export const type = new RequestType<{ user: string; ttl?: string }, { token: string; expiresAt: string }, void>(method);
}

/**
 * The editor languages the deprecated-API diagnostics read (the client's document selector), each with the
 * extension the daemon's engine parses it as when the document's own name has none it knows.
 */
export const DIAGNOSED_LANGUAGES: Readonly<Record<string, string>> = {
  python: '.py', typescript: '.ts', typescriptreact: '.tsx', javascript: '.js', javascriptreact: '.jsx',
};

// ---- Stack readiness (SPEC section 4): one state model, read alike by the tree view, the CLI and the LSP.

/** ready: usable; pending: starting up; blocked: waits on a dependency; failed: broken itself; absent: no
 *  container; stopped: stopped on request (or a long-running service that exited 0). */
export type Readiness = 'ready' | 'pending' | 'blocked' | 'failed' | 'absent' | 'stopped';
export type ContainerStatus = 'absent' | 'created' | 'running' | 'restarting' | 'paused' | 'exited' | 'dead' | 'removing';
export type HealthStatus = 'starting' | 'healthy' | 'unhealthy' | 'none';

export interface ContainerState {
  status: ContainerStatus;
  id?: string;
  name?: string;
  exitCode?: number;
  health: HealthStatus;
  /** The last health check's output, when it failed. */
  healthOutput?: string;
  oomKilled?: boolean;
  restartCount?: number;
  startedAt?: string;
  finishedAt?: string;
  /** Seen a `stop` event for it: it was stopped on request, not crashed. */
  stoppedOnRequest?: boolean;
  /** From the logs of an exited/unhealthy container: the first line that looks like an error. */
  firstErrorLine?: string;
  lastLogLines?: string[];
}

export interface ProbeResult {
  type: 'tcp' | 'http' | 'websocket' | 'ws-health';
  /** What was probed: host:port or the URL. */
  target: string;
  ok: boolean;
  /** One sentence: what was tried, against what, how long it waited, what came back. */
  detail: string;
  durationMs: number;
  checkedAt: string;
  inferred?: boolean;
  /** How a probe of a remote engine's stack got there: "through an ssh forward …" or "at the engine's host …"; unset on the local engine. */
  via?: string;
}

export interface RootCause {
  /** The service whose own failure is the cause (the root of a blocked chain). */
  service: string;
  summary: string;
  exitCode?: number;
  healthOutput?: string;
  firstErrorLine?: string;
  lastLogLines?: string[];
}

export interface ServiceState {
  name: string;
  readiness: Readiness;
  /** One line for a person: "exited with code 1", "blocked by migrate", "healthy, 2 probes pass". */
  summary: string;
  container: ContainerState;
  probes: ProbeResult[];
  /** Every dependency not ready, direct ones first, down to the root. */
  blockedBy: string[];
  rootCause?: RootCause;
  /** Where the service is defined, for "go to definition". */
  file?: string;
  line?: number;
}

export interface EngineState {
  status: 'connected' | 'unreachable';
  /** The engine tried, in words: the socket, DOCKER_HOST, or the Docker context and its endpoint. */
  socket: string;
  /** The engine's name (a Docker context, or DOCKER_HOST's endpoint) when it is not the default local socket. */
  name?: string;
  version?: string;
  apiVersion?: string;
  /** Unreachable: what went wrong and what to do about it. */
  error?: string;
  hint?: string;
}

/** A remote (or non-compose) target from the config, probed like a service. */
export interface TargetState {
  name: string;
  url: string;
  ready: boolean;
  probes: ProbeResult[];
}

export interface StackState {
  engine: EngineState;
  project?: { name: string; files: string[]; workingDir: string };
  /** The compose files could not be read: why, with file and line. */
  composeError?: string;
  services: ServiceState[];
  targets: TargetState[];
  /** True only when the engine answers, the compose project loads and every service is ready. */
  ready: boolean;
  updatedAt: string;
}

export namespace StackStateNotification {
  // Sent by the daemon whenever the stack state changes (Docker events, probe results): the Stack view redraws.
  export const method = 'handshake/stackState' as const;
  export const type = new NotificationType<StackState>(method);
}

export namespace StackStateRequest {
  // Sent by the client when the Stack view opens or after a reload: the daemon answers with its current state.
  export const method = 'handshake/getStackState' as const;
  export const type = new RequestType0<StackState, void>(method);
}

// ---- Connection inspector (SPEC section 5): every connection the daemon serves, makes or relays.

/** backend: served by the local backend; client: made by Handshake (CLI, panel, scenario runs); proxy: relayed. */
export type ConnectionSource = 'backend' | 'client' | 'proxy';
export type ConnectionPhase = 'open' | 'closed' | 'refused';

export interface ConnectionSummary {
  id: string;
  source: ConnectionSource;
  /** Who made it, for client connections: 'send', 'check', 'panel'…; the proxy's listen address for proxied ones. */
  via?: string;
  /** The token's `sub`. */
  userId?: string;
  target: string;
  clientAddress: string;
  phase: ConnectionPhase;
  openedAt: string;
  closedAt?: string;
  /** 101 once upgraded; the refusal's status otherwise. */
  status: number;
  /** Why it was refused (the body's reason), for refused connections. */
  refusal?: string;
  closeCode?: number;
  closeReason?: string;
  /** The close code in words; 1006 says the TCP connection dropped, and which side dropped it when known. */
  closeMeaning?: string;
  closedBy?: 'client' | 'server' | 'proxy';
  framesFromClient: number;
  framesFromServer: number;
  bytesFromClient: number;
  bytesFromServer: number;
  /** Frames of this connection no longer kept (the oldest go first when a limit is reached). */
  droppedFrames: number;
}

export interface FrameRecord {
  /** Increases by one per frame across the recorder: a client resumes a stream after the last it saw. */
  seq: number;
  connectionId: string;
  from: 'client' | 'server';
  at: string;
  /** The full payload size, even when the text kept is cut. */
  size: number;
  opcode: 'text' | 'binary' | 'ping' | 'pong';
  jsonType?: string;
  /** Text payload (redacted), cut past the recorder's text limit. */
  text?: string;
  /** A binary payload, base64, cut past the same limit. */
  base64?: string;
  truncated?: boolean;
}

export interface ConnectionDetail extends ConnectionSummary {
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  protocol?: string;
  /** A refusal's body as the client saw it (redacted). */
  body?: string;
  frames: FrameRecord[];
}

/** Filters shared by `handshake inspect`, the control API and the Connections view. */
export interface ConnectionFilter {
  text?: string;
  type?: string;
  from?: 'client' | 'server';
  user?: string;
  connection?: string;
  opcode?: FrameRecord['opcode'];
  hidePingPong?: boolean;
}

export interface RecorderTotals { connections: number; frames: number; bytes: number; droppedConnections: number; droppedFrames: number }

export namespace ConnectionsRequest {
  // Sent by the client when the Connections view opens: live and recent connections, newest first.
  export const method = 'handshake/connections' as const;
  export const type = new RequestType<ConnectionFilter, { connections: ConnectionSummary[]; totals: RecorderTotals }, void>(method);
}

export namespace ConnectionRequest {
  // Sent by the client when the user selects a connection: its headers and kept frames.
  export const method = 'handshake/connection' as const;
  export const type = new RequestType<{ id: string; filter?: ConnectionFilter }, ConnectionDetail | null, void>(method);
}

export namespace ConnectionChangedNotification {
  // Sent by the daemon when a connection opens, is refused or closes, and (at most a few times a second) when its counts change.
  export const method = 'handshake/connectionChanged' as const;
  export const type = new NotificationType<ConnectionSummary>(method);
}

export namespace FramesNotification {
  // Sent by the daemon with new frames, batched, while the client subscribes to a connection.
  export const method = 'handshake/frames' as const;
  export const type = new NotificationType<{ connectionId: string; frames: FrameRecord[] }>(method);
}

export namespace WatchFramesRequest {
  // Sent by the client to stream one connection's frames (FramesNotification) or to stop (id: null).
  export const method = 'handshake/watchFrames' as const;
  export const type = new RequestType<{ id: string | null }, void, void>(method);
}

export namespace ExportConnectionsRequest {
  // Sent by the client for Export Connections…: the recorder's content as HAR 1.2 or JSON Lines, redacted.
  export const method = 'handshake/exportConnections' as const;
  export const type = new RequestType<{ format: 'har' | 'jsonl'; connectionId?: string }, { text: string }, void>(method);
}

// ---- Editor commands and the message panel (issue 8): the extension asks, the daemon does the work with the
// same engine as the CLI (`up`, `stop`, `restart`, `logs`, `why`, `send`), so both faces behave alike.

/**
 * waiting: its dependencies' conditions are not met yet; creating: compose is creating/starting it;
 * starting: its container runs and it has not settled (health: starting, job still running);
 * healthy / running / completed: settled; failed: it will not settle; blocked: never started because of a failure.
 */
export type ProgressPhase = 'waiting' | 'creating' | 'starting' | 'healthy' | 'running' | 'completed' | 'failed' | 'blocked';

export interface ProgressEvent {
  service: string;
  phase: ProgressPhase;
  /** Why it waits, what it waits for, why it failed or by whom it is blocked. */
  detail?: string;
  /** Milliseconds since the operation began. */
  elapsedMs: number;
}

/** Why a service failed, with what its container said. */
export interface ServiceFailure {
  service: string;
  reason: string;
  exitCode?: number;
  healthOutput?: string;
  firstErrorLine?: string;
  lastLines?: string[];
}

export interface BlockedService {
  service: string;
  /** The chain from this service down to the failed one: [backend, migrate]. */
  chain: string[];
}

export interface OrchestrationResult {
  ok: boolean;
  /** The services in the order they settled. */
  settled: string[];
  failure?: ServiceFailure;
  blocked: BlockedService[];
  elapsedMs: number;
}

export type StackAction = 'up' | 'stop' | 'restart';

export interface StackCommandResult extends OrchestrationResult {
  /** The user cancelled: waiting stopped; containers and volumes stay as they were. */
  cancelled?: boolean;
  /** The operation could not run at all (engine unreachable, no Compose CLI, compose error). */
  error?: string;
}

export namespace StackCommandRequest {
  // Sent by the client for Start Stack, Start/Stop/Restart Service…; cancelling the request stops the waiting.
  export const method = 'handshake/stackCommand' as const;
  export const type = new RequestType<{ operationId: string; action: StackAction; services: string[]; noDeps?: boolean }, StackCommandResult, void>(method);
}

export namespace StackProgressNotification {
  // Sent by the daemon for every progress event of a running stack command (the client's progress message).
  export const method = 'handshake/stackProgress' as const;
  export const type = new NotificationType<{ operationId: string; event: ProgressEvent }>(method);
}

export namespace WhyRequest {
  // Sent by the client for Why Is This Not Ready?: the blocked-by chain and root cause in words (as `handshake why`).
  export const method = 'handshake/why' as const;
  export const type = new RequestType<{ service: string }, { lines: string[] }, void>(method);
}

export namespace RefreshStackRequest {
  // Sent by the client for Refresh: the daemon re-inspects every container and re-runs the probes.
  export const method = 'handshake/refreshStack' as const;
  export const type = new RequestType0<void, void>(method);
}

export namespace FollowLogsRequest {
  // Sent by the client for Show Logs…: answers when the log ends; cancel it to stop following.
  export const method = 'handshake/followLogs' as const;
  export const type = new RequestType<{ streamId: string; service: string; tail?: number }, { exitCode: number }, void>(method);
}

export namespace LogChunkNotification {
  // Sent by the daemon with the followed service's output as it comes.
  export const method = 'handshake/logChunk' as const;
  export const type = new NotificationType<{ streamId: string; text: string }>(method);
}

export namespace LintWorkspaceRequest {
  // Sent by the client for Lint Workspace: the `handshake lint` engine over the workspace, counted.
  export const method = 'handshake/lintWorkspace' as const;
  export const type = new RequestType0<{ files: number; findings: number; filesWithFindings: string[] }, void>(method);
}

export namespace BackendRequest {
  // Sent by the client for Start/Stop Local Backend (implemented with the daemon's backend slot).
  export const method = 'handshake/backend' as const;
  export const type = new RequestType<{ action: 'start' | 'stop' }, BackendInfo | { error: string }, void>(method);
}

export namespace StartProxyRequest {
  // Sent by the client for Start Recording Proxy…: a loopback listener relaying to `target`, recorded.
  export const method = 'handshake/startProxy' as const;
  export const type = new RequestType<{ listen: string; target: string }, { listen: string; target: string } | { error: string }, void>(method);
}

// The message panel: the daemon mints the token and holds the connection, so a header can be set and the token
// never reaches the page; the page sees claims, events and close codes.

export type PanelAuth = 'header' | 'subprotocol';

export interface PanelTarget {
  /** 'local', 'stack', a config target's name, or 'proxy <listen>'. */
  name: string;
  url: string;
  auth: PanelAuth;
  kind: 'local' | 'stack' | 'config' | 'proxy';
}

/** A message as the saved-messages file (schemas/saved-messages.schema.json) and the templates hold it. */
export interface SavedMessage {
  name: string;
  message: Record<string, unknown>;
  /** Events that must arrive in this order, others may interleave: the format of `handshake send --expect`. */
  expect?: Expectation[];
  target?: string;
  auth?: PanelAuth;
}

export interface PanelLibrary {
  targets: PanelTarget[];
  /** One per message type, built from schemas/client-message.schema.json. */
  templates: SavedMessage[];
  saved: SavedMessage[];
  /** The workspace file the saved messages live in (it may not exist yet). */
  savedFile: string;
  /** The file exists but is not valid JSON or not valid against its schema: why, with the field. */
  savedError?: string;
}

export namespace PanelLibraryRequest {
  // Sent by the client when the panel opens: targets, templates and the workspace's saved messages.
  export const method = 'handshake/panel/library' as const;
  export const type = new RequestType0<PanelLibrary, void>(method);
}

export namespace PanelSaveRequest {
  // Sent by the client to add (or replace by name) a message in the saved-messages file.
  export const method = 'handshake/panel/save' as const;
  export const type = new RequestType<{ entry: SavedMessage }, { file: string } | { error: string }, void>(method);
}

export interface PanelConnectParams {
  user: string;
  /** Extra claims; `sub`, `exp`, `iat`, `iss`, `aud` are the daemon's to set. */
  claims?: Record<string, unknown>;
  ttl?: string;
  url: string;
  auth: PanelAuth;
}

export type PanelConnectResult =
  | { ok: true; sessionId: string; url: string; protocol: string; claims: Record<string, unknown>; expiresAt: string }
  | { ok: false; error: string };

export namespace PanelConnectRequest {
  // Sent by the client for the panel's Connect: the daemon mints a token and opens a recorded session (via 'panel').
  export const method = 'handshake/panel/connect' as const;
  export const type = new RequestType<PanelConnectParams, PanelConnectResult, void>(method);
}

export namespace PanelSendRequest {
  // Sent by the client for the panel's Send: `message` goes out as JSON (a string as it is).
  export const method = 'handshake/panel/send' as const;
  export const type = new RequestType<{ sessionId: string; message: unknown }, { at: string } | { error: string }, void>(method);
}

export interface PanelClose { code: number; reason: string; meaning: string }

export namespace PanelDisconnectRequest {
  // Sent by the client for the panel's Disconnect (or when the panel closes).
  export const method = 'handshake/panel/disconnect' as const;
  export const type = new RequestType<{ sessionId: string }, PanelClose | null, void>(method);
}

export namespace PanelEventNotification {
  // Sent by the daemon for every frame a panel session receives, as soon as it arrives.
  export const method = 'handshake/panel/event' as const;
  export const type = new NotificationType<{ sessionId: string; at: string; event: ReceivedEvent }>(method);
}

export namespace PanelClosedNotification {
  // Sent by the daemon when a panel session's connection closes, whoever closed it.
  export const method = 'handshake/panel/closed' as const;
  export const type = new NotificationType<{ sessionId: string } & PanelClose>(method);
}
