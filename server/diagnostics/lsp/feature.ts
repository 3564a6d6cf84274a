// Deprecated-notifier diagnostics as a daemon feature: pull diagnostics for open documents (debounced on
// change) and for the rest of the workspace, push for clients that do not pull, quick fixes, and a re-pull
// when handshake.config.json changes. Read-only apart from edits the user applies, so it runs in untrusted
// workspaces too (SPEC 8).
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind, DidChangeWatchedFilesNotification, LSPErrorCodes, ResponseError, TextDocuments, TextDocumentSyncKind,
  type CancellationToken, type WorkDoneProgressReporter, type WorkspaceDiagnosticParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { sourceExtensions } from '../grammars';
import type { DaemonFeature } from '../../lsp/feature';
import { codeActions, FIX_ALL_KIND } from './code-actions';
import { toDiagnostic } from './diagnostic';
import { DocumentAnalyses } from './document-analyses';
import { DiagnosticsSession } from './session';
import { WorkspaceDiagnostics, type ScanProgress } from './workspace-diagnostics';

/** Quiet time after a keystroke before re-analysing: a burst of typing costs one analysis. */
export const REDIAGNOSE_DELAY_MS = 30;
/** The longest a workspace re-pull with nothing new is held: file events end it early when the editor sends them. */
const HOLD_WATCHED_MS = 60_000;
const HOLD_UNWATCHED_MS = 10_000;

export const diagnosticsFeature: DaemonFeature = {
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    diagnosticProvider: { identifier: 'handshake', interFileDependencies: false, workspaceDiagnostics: true },
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
  },

  async start(connection, context) {
    const client = context.clientCapabilities;
    const pulls = client.textDocument?.diagnostic !== undefined;
    const logError = (message: string): void => connection.console.error(message);
    const session = new DiagnosticsSession(context.workspace, context.config, logError);
    // One TextDocuments per connection holds the open documents' text, kept in sync incrementally.
    const documents = new TextDocuments(TextDocument);
    const analyses = new DocumentAnalyses(session, {
      delayMs: REDIAGNOSE_DELAY_MS,
      // Clients without pull support get the same findings pushed once each burst of edits settles.
      onAnalyzed: pulls ? undefined : (uri, analysis) => {
        void connection.sendDiagnostics({ uri, version: analysis.version, diagnostics: analysis.findings.map(toDiagnostic) });
      },
    });
    const watches = client.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    // With no folder open, VS Code starts the daemon in its own working directory: that is no workspace to walk.
    const walkable = client.workspace?.workspaceFolders
      ? connection.workspace.getWorkspaceFolders().then((folders) => folders !== null, () => true) : Promise.resolve(true);
    const workspace = new WorkspaceDiagnostics(
      session, (uri) => documents.get(uri) !== undefined, watches ? HOLD_WATCHED_MS : HOLD_UNWATCHED_MS, walkable,
    );

    documents.onDidChangeContent((e) => analyses.schedule(e.document));
    documents.onDidClose((e) => {
      analyses.forget(e.document.uri);
      workspace.poke(); // the closed file is the workspace pull's again
      if (!pulls) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });

    // textDocument/diagnostic: the full report for an open document as it is now.
    connection.languages.diagnostics.on(async (params, token) => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return { kind: 'full', items: [] };
      const findings = await analyses.findings(document);
      throwIfCancelled(token);
      return { kind: 'full', items: findings.map(toDiagnostic) };
    });

    // $/progress of a scan: on the client's token when it sent one, else on one the server creates (VS Code
    // shows it, with a cancel button), else none.
    const progressFor = async (params: WorkspaceDiagnosticParams, workDone: WorkDoneProgressReporter): Promise<ScanProgress> =>
      params.workDoneToken !== undefined || !client.window?.workDoneProgress ? workDone : connection.window.createWorkDoneProgress();

    // workspace/diagnostic: files on disk that are not open.
    connection.languages.diagnostics.onWorkspace(async (params, token, workDone, partial) => {
      try {
        return await workspace.report(params, token, partial, () => progressFor(params, workDone));
      } catch (e) {
        logError(`handshake: workspace diagnostics failed: ${(e as Error).stack ?? String(e)}`);
        return { items: [] };
      }
    });

    connection.onCodeAction(async (params, token) => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const findings = await analyses.findings(document);
      throwIfCancelled(token);
      return codeActions(document, findings, params, client);
    });

    // The config file changed: new rules, and every editor view of the diagnostics re-pulled.
    const reloadRules = (): void => {
      const failure = session.reload();
      if (failure) {
        void connection.window.showErrorMessage(`Handshake: ${failure} (the previous deprecation rules stay in force)`);
        return;
      }
      if (pulls && client.workspace?.diagnostics?.refreshSupport) void connection.languages.diagnostics.refresh();
      else if (!pulls) documents.all().forEach((d) => analyses.schedule(d));
    };

    connection.onDidChangeWatchedFiles((params) => {
      const configChanged = params.changes.some((c) => c.uri.startsWith('file:') && session.isConfigFile(fileURLToPath(c.uri)));
      if (configChanged) reloadRules();
      workspace.poke();
    });

    // Every handler is in place before the first await: didOpen may arrive right after `initialized`.
    documents.listen(connection);
    if (watches) {
      // The editor already watches the workspace efficiently: ask it to tell us about the config file and sources.
      await connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: session.configFileGlob() }, { globPattern: `**/*.{${sourceExtensions.map((e) => e.slice(1)).join(',')}}` }],
      });
    }
    return () => {
      analyses.dispose();
      workspace.dispose();
    };
  },
};

function throwIfCancelled(token: CancellationToken): void {
  // The client cancels a pull when the document changed again; it re-pulls by itself.
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
}
