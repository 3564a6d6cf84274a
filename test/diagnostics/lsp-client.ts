// A test client for the diagnostics tests: starts dist/daemon.js over IPC exactly as the extension does,
// initializes it on a temporary copy of a workspace, and wraps the few requests the tests send.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest, createProtocolConnection, DiagnosticRefreshRequest, DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, DocumentDiagnosticRequest, ExitNotification,
  FileChangeType, InitializedNotification, InitializeRequest, IPCMessageReader, IPCMessageWriter,
  LogMessageNotification, PublishDiagnosticsNotification, RegistrationRequest, ShowMessageRequest, ShutdownRequest,
  WorkspaceDiagnosticRequest, WorkspaceFoldersRequest,
  type ClientCapabilities, type CodeAction, type Diagnostic, type FileEvent, type ProtocolConnection, type PublishDiagnosticsParams,
  type Range, type TextEdit, type WorkspaceDiagnosticReport, type WorkspaceFolder,
} from 'vscode-languageserver-protocol/node';

import { loadConfig } from '../../server/config/config';
import { loadRules, type RuleSet } from '../../server/diagnostics/rules';

const daemon = path.resolve(__dirname, '../../../dist/daemon.js');

/** What VS Code announces for the features under test; tests drop parts to play an older client. */
export const editorCapabilities: ClientCapabilities = {
  textDocument: {
    synchronization: { dynamicRegistration: false },
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
    codeAction: {
      disabledSupport: true, dataSupport: true,
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
    },
    publishDiagnostics: { versionSupport: true },
  },
  workspace: {
    workspaceFolders: true,
    diagnostics: { refreshSupport: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
};

export const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/notifier');

/** Lines 0, 4, 5, 6 use the old notifier; 7 and 8 only mention it in a comment and a string. */
export const PROBE = [
  'from netra_backend.app.services.websocket_notifier import WebSocketNotifier',
  '',
  '',
  'async def run(context, manager):',
  '    notifier = WebSocketNotifier(manager)',
  '    await notifier.send_agent_started(context)',
  '    await notifier.send_partial_result(context, "half")',
  '    # from netra_backend.app.services.websocket_notifier import WebSocketNotifier',
  '    return "netra_backend.app.services.websocket_notifier.WebSocketNotifier"',
  '',
].join('\n');

/** A temporary copy of the fixture with the probe file added; returns the workspace and the probe's path. */
function probeWorkspace(): { workspace: string; probe: string } {
  const workspace = copyWorkspace(FIXTURE);
  const probe = path.join(workspace, 'lsp_probe', 'agent.py');
  fs.mkdirSync(path.dirname(probe), { recursive: true });
  fs.writeFileSync(probe, PROBE);
  return { workspace, probe };
}

export interface ProbeSession { client: LspClient; workspace: string; probe: string }

/**
 * Runs a test body against a daemon started on a fresh probe workspace (prepared first when asked); then
 * the daemon must exit cleanly on shutdown, and the workspace is removed.
 */
export async function withProbe(
  body: (session: ProbeSession) => Promise<void>,
  options: { capabilities?: ClientCapabilities; folders?: WorkspaceFolder[] | null; prepare?: (workspace: string) => void } = {},
): Promise<void> {
  const { workspace, probe } = probeWorkspace();
  try {
    options.prepare?.(workspace);
    const client = await LspClient.start(workspace, options.capabilities, options.folders);
    let passed = false;
    try {
      await body({ client, workspace, probe });
      passed = true;
    } finally {
      const code = await client.stop();
      if (passed) assert.equal(code, 0, 'the daemon exits cleanly after shutdown');
    }
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/** Copies a fixture tree to a fresh temporary directory, so edits never touch the repository. */
export function copyWorkspace(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handshake-lsp-'));
  fs.cpSync(fixture, dir, { recursive: true });
  return dir;
}

export const uriOf = (file: string): string => pathToFileURL(file).href;

/** The rules the daemon reads for a workspace: the defaults plus its handshake.config.json. */
export const rulesOf = (workspace: string): RuleSet => loadRules(loadConfig(workspace));

/** A diagnostic's message as text (LSP 3.18 allows markup). */
export const messageOf = (d: Diagnostic | undefined): string => (typeof d?.message === 'string' ? d.message : d?.message.value ?? '');

export class LspClient {
  readonly refreshes: number[] = [];
  readonly pushed: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly shown: string[] = [];
  stderr = '';
  private readonly versions = new Map<string, number>();

  private constructor(private readonly child: ChildProcess, readonly connection: ProtocolConnection, readonly workspace: string) {}

  /** folders: what the editor answers to workspace/workspaceFolders (null: no folder open). */
  static async start(
    workspace: string, capabilities: ClientCapabilities = editorCapabilities,
    folders: WorkspaceFolder[] | null = [{ uri: uriOf(workspace), name: 'fixture' }],
  ): Promise<LspClient> {
    const child = fork(daemon, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const client = new LspClient(child, connection, workspace);
    child.stderr?.on('data', (chunk: Buffer) => { client.stderr += chunk.toString(); });
    // The daemon asks to watch its config file and to re-pull: answer like an editor would.
    connection.onRequest(RegistrationRequest.type, () => { /* accepted: this client watches nothing itself */ });
    connection.onRequest(WorkspaceFoldersRequest.type, () => folders);
    connection.onRequest(DiagnosticRefreshRequest.type, () => { client.refreshes.push(Date.now()); });
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => { client.pushed.push(p); });
    connection.onNotification(LogMessageNotification.type, (p) => { client.logs.push(p.message); });
    connection.onRequest(ShowMessageRequest.type, (p) => { client.shown.push(p.message); return null; });
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: folders?.[0]?.uri ?? null, capabilities, workspaceFolders: folders,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Opens a file (or an `untitled:` uri) with its text on disk or the given one. */
  async open(file: string, text = fs.readFileSync(file, 'utf8'), languageId = languageOf(file)): Promise<string> {
    const uri = file.startsWith('untitled:') ? file : uriOf(file);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return uri;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Replaces a range (or, without one, the whole text) as one incremental edit. */
  async change(uri: string, text: string, range?: Range): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version }, contentChanges: [range ? { range, text } : { text }],
    });
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    if (report.kind !== 'full') throw new Error(`expected a full report, got ${report.kind}`);
    return report.items;
  }

  workspaceDiagnostics(previousResultIds: Array<{ uri: string; value: string }> = []): Promise<WorkspaceDiagnosticReport> {
    return this.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds });
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const result = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) },
    });
    return (result ?? []).filter((a): a is CodeAction => 'kind' in a || 'edit' in a || 'disabled' in a);
  }

  /** Tells the daemon about files changed on disk, as the editor's watcher would. */
  async fileChanged(...files: string[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: files.map((file): FileEvent => ({ uri: uriOf(file), type: fs.existsSync(file) ? FileChangeType.Changed : FileChangeType.Deleted })),
    });
  }

  /** Shuts down and says how the daemon exited (0 after shutdown + exit). */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', resolve));
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
      return await exited;
    } finally {
      this.connection.dispose();
      this.child.kill();
    }
  }
}

/** The text edits a code action makes to one document, whichever form the server chose. */
export function editsFor(action: CodeAction, uri: string): TextEdit[] {
  const edit = action.edit;
  if (!edit) return [];
  const fromChanges = edit.changes?.[uri] ?? [];
  const fromDocumentChanges = (edit.documentChanges ?? [])
    .flatMap((c) => ('textDocument' in c && c.textDocument.uri === uri ? c.edits : []))
    .filter((e): e is TextEdit => 'range' in e && 'newText' in e);
  return [...fromChanges, ...fromDocumentChanges];
}

function languageOf(file: string): string {
  if (file.endsWith('.py')) return 'python';
  if (/\.[cm]?tsx?$/.test(file)) return 'typescript';
  return /\.[cm]?jsx?$/.test(file) ? 'javascript' : 'plaintext';
}

export async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
