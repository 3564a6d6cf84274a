// Extension entry: registers the views, commands and status bar at once and starts the daemon over IPC
// without waiting for it (activation stays cheap; commands wait for the daemon when they need it). Logic
// lives in the daemon and in plain modules (client/**/*-model.ts, stack-tree.ts); this file stays glue.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { BackendStartedNotification, DIAGNOSED_LANGUAGES, StackStateNotification, StackStateRequest, type StackState } from '../$shared/protocol';
import { ConnectionsView } from './connections/connections-view';
import { registerDaemonCommands } from './daemon-commands';
import { openLogsTerminal } from './stack/logs-terminal';
import { serviceOfNode, servicesFor } from './stack/commands-model';
import { registerStackCommands } from './stack/stack-commands';
import { stackStatusText } from './stack/stack-tree';
import { StackView } from './stack/stack-view';

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const module = context.asAbsolutePath(path.join('dist', 'daemon.js'));
  // IPC like vscode-eslint; debug adds --inspect so "Attach to Daemon" can connect.
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const outputChannel = vscode.window.createOutputChannel('Handshake', { log: true });
  const clientOptions: LanguageClientOptions = {
    // The languages the deprecated-notifier diagnostics read (the daemon's engine parses .tsx/.jsx too).
    documentSelector: Object.keys(DIAGNOSED_LANGUAGES).map((language) => ({ scheme: 'file', language })),
    outputChannel,
  };
  const lc = new LanguageClient('handshake', 'Handshake', serverOptions, clientOptions);
  client = lc;
  const started = lc.start();
  const ready = () => started.then(() => lc);

  let state: StackState | undefined;
  const stackView = new StackView();
  const connectionsView = new ConnectionsView();
  const status = vscode.window.createStatusBarItem('handshake.stack', vscode.StatusBarAlignment.Left, 10);
  status.name = 'Handshake stack';
  status.command = 'handshake.stack.focus';
  const show = (next: StackState) => {
    state = next;
    stackView.update(next);
    const { text, tooltip, background } = stackStatusText(next);
    Object.assign(status, { text, tooltip, backgroundColor: background ? new vscode.ThemeColor(background) : undefined });
    status.show();
  };
  const backendStatus = vscode.window.createStatusBarItem('handshake.backend', vscode.StatusBarAlignment.Left, 9);
  backendStatus.command = 'handshake.copyToken';
  context.subscriptions.push(outputChannel, stackView, connectionsView, status, backendStatus,
    vscode.window.registerTreeDataProvider('handshake.stack', stackView),
    vscode.window.registerTreeDataProvider('handshake.connections', connectionsView),
    ...registerStackCommands(ready, () => state),
    ...registerDaemonCommands(context.extensionUri, ready),
    vscode.commands.registerCommand('handshake.showLogs', async (node: unknown) => {
      const service = typeof node === 'string' ? node : serviceOfNode(node)
        ?? await vscode.window.showQuickPick(servicesFor('logs', state), { title: 'Handshake: Show Logs', placeHolder: 'service' });
      if (service) openLogsTerminal(await ready(), service);
    }),
    // Handlers go on before the daemon starts: it announces its backend during `initialized`.
    lc.onNotification(BackendStartedNotification.type, (info) => {
      Object.assign(backendStatus, 'error' in info
        ? { text: '$(radio-tower) backend off', tooltip: info.error }
        : { text: `$(radio-tower) ${new URL(info.wsUrl).host}`, tooltip: `Local backend ${info.wsUrl} (${info.profile}). Click to copy a dev token.` });
      backendStatus.show();
    }),
    // The daemon pushes every change (Docker events, probes).
    lc.onNotification(StackStateNotification.type, show),
    // Each time the daemon (re)starts, and the client restarts it after a crash, the views load its state again.
    lc.onDidChangeState(({ newState }) => {
      if (newState !== State.Running) return;
      void lc.sendRequest(StackStateRequest.type).then(show, () => undefined);
      void connectionsView.attach(lc);
    }),
  );
  started.catch((e: Error) => outputChannel.error(`the daemon did not start: ${e.message}`));
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
