// The extension's body, loaded by client/extension.ts right after activation (its own bundle, dist/client.js):
// starts the daemon over IPC, registers the views and the status bar, and answers the commands the entry
// registered. Logic lives in the daemon and in plain modules (client/**/*-model.ts, stack-tree.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { BackendStartedNotification, DIAGNOSED_LANGUAGES, StackStateNotification, StackStateRequest, type StackState } from '../$shared/protocol';
import { ConnectionsView } from './connections/connections-view';
import { daemonCommands } from './daemon-commands';
import { MessagePanel } from './panel/panel';
import { serviceOfNode, servicesFor } from './stack/commands-model';
import { openLogsTerminal } from './stack/logs-terminal';
import { stackCommands } from './stack/stack-commands';
import { stackStatusText } from './stack/stack-tree';
import { StackView } from './stack/stack-view';

export type Handler = (...args: unknown[]) => unknown;

export interface Started {
  /** Every command of package.json, by id. */
  commands: Record<string, Handler>;
  /** The message panel VS Code restores after a window reload. */
  revivePanel(panel: vscode.WebviewPanel): void;
  stop(): Promise<void>;
}

export function start(context: vscode.ExtensionContext, status: vscode.StatusBarItem): Started {
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
    // The window's Docker context; read again when the client (re)starts the daemon.
    initializationOptions: () => ({ dockerContext: vscode.workspace.getConfiguration('handshake').get<string>('docker.context') || undefined }),
  };
  const client = new LanguageClient('handshake', 'Handshake', serverOptions, clientOptions);
  const started = client.start();
  const ready = () => started.then(() => client);

  let state: StackState | undefined;
  const stackView = new StackView();
  const connectionsView = new ConnectionsView();
  const show = (next: StackState) => {
    state = next;
    stackView.update(next);
    const { text, tooltip, background } = stackStatusText(next);
    Object.assign(status, { text, tooltip, backgroundColor: background ? new vscode.ThemeColor(background) : undefined });
  };
  const backendStatus = vscode.window.createStatusBarItem('handshake.backend', vscode.StatusBarAlignment.Left, 9);
  backendStatus.command = 'handshake.copyToken';
  context.subscriptions.push(outputChannel, stackView, connectionsView, backendStatus,
    vscode.window.registerTreeDataProvider('handshake.stack', stackView),
    vscode.window.registerTreeDataProvider('handshake.connections', connectionsView),
    // Handlers go on before the daemon starts: it announces its backend during `initialized`.
    client.onNotification(BackendStartedNotification.type, (info) => {
      Object.assign(backendStatus, 'error' in info
        ? { text: '$(radio-tower) backend off', tooltip: info.error }
        : { text: `$(radio-tower) ${new URL(info.wsUrl).host}`, tooltip: `Local backend ${info.wsUrl} (${info.profile}). Click to copy a dev token.` });
      backendStatus.show();
    }),
    // The daemon pushes every change (Docker events, probes).
    client.onNotification(StackStateNotification.type, show),
    // Another engine for this window: the daemon starts over on it (the views reload below).
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('handshake.docker.context')) void client.restart();
    }),
    // Each time the daemon (re)starts, and the client restarts it after a crash, the views load its state again.
    client.onDidChangeState(({ newState }) => {
      if (newState !== State.Running) return;
      void client.sendRequest(StackStateRequest.type).then(show, () => undefined);
      void connectionsView.attach(client);
    }),
  );
  started.catch((e: Error) => outputChannel.error(`the daemon did not start: ${e.message}`));
  return {
    commands: {
      ...stackCommands(ready, () => state),
      ...daemonCommands(context.extensionUri, ready),
      'handshake.showLogs': async (node: unknown) => {
        const service = typeof node === 'string' ? node : serviceOfNode(node)
          ?? await vscode.window.showQuickPick(servicesFor('logs', state), { title: 'Handshake: Show Logs', placeHolder: 'service' });
        if (service) openLogsTerminal(await ready(), service);
      },
    },
    revivePanel: (panel) => MessagePanel.revive(panel, context.extensionUri, client),
    stop: () => client.stop(),
  };
}
