// Extension entry: starts the daemon over IPC and adapts what it reports to VS Code. Logic lives in the
// daemon and in plain modules (client/stack/stack-tree.ts); this file stays glue.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { StackStateNotification, StackStateRequest, type StackState } from '../$shared/protocol';
import { stackStatusText } from './stack/stack-tree';
import { StackView } from './stack/stack-view';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'daemon.js'));
  // IPC like vscode-eslint; debug adds --inspect so "Attach to Daemon" can connect.
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // The languages the deprecated-notifier diagnostics read (the daemon's engine parses .tsx/.jsx too).
    documentSelector: ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'].map((language) => ({ scheme: 'file', language })),
  };
  client = new LanguageClient('handshake', 'Handshake', serverOptions, clientOptions);

  const stackView = new StackView();
  const status = vscode.window.createStatusBarItem('handshake.stack', vscode.StatusBarAlignment.Left, 10);
  status.command = 'workbench.view.extension.handshake';
  context.subscriptions.push(stackView, status, vscode.window.registerTreeDataProvider('handshake.stack', stackView));
  const show = (state: StackState) => {
    stackView.update(state);
    Object.assign(status, stackStatusText(state));
    status.show();
  };

  await client.start();
  // The daemon pushes every change (Docker events, probes); ask once for the state it already has.
  context.subscriptions.push(client.onNotification(StackStateNotification.type, show));
  show(await client.sendRequest(StackStateRequest.type, undefined));
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
