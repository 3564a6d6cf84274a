// Extension entry: starts the daemon over IPC and adapts what it reports to VS Code. Logic lives in the
// daemon and in plain modules (client/stack/stack-tree.ts); this file stays glue.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  BackendStartedNotification, DIAGNOSED_LANGUAGES, StackStateNotification, StackStateRequest, TokenRequest, type StackState,
} from '../$shared/protocol';
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
    documentSelector: Object.keys(DIAGNOSED_LANGUAGES).map((language) => ({ scheme: 'file', language })),
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

  const backendStatus = vscode.window.createStatusBarItem('handshake.backend', vscode.StatusBarAlignment.Left, 9);
  backendStatus.command = 'handshake.copyToken';
  context.subscriptions.push(backendStatus, vscode.commands.registerCommand('handshake.copyToken', async () => {
    const user = await vscode.window.showInputBox({ prompt: 'User id (the token\'s sub claim)', value: 'dev-user' });
    if (!user || !client) return;
    const { token, expiresAt } = await client.sendRequest(TokenRequest.type, { user });
    await vscode.env.clipboard.writeText(token);
    // The token itself is never shown, only where it went.
    void vscode.window.showInformationMessage(`Handshake: a dev token for ${user} is on the clipboard (expires ${expiresAt}).`);
  }));

  // Handlers go on before start(): the daemon announces its backend during `initialized`.
  context.subscriptions.push(client.onNotification(BackendStartedNotification.type, (info) => {
    Object.assign(backendStatus, 'error' in info
      ? { text: '$(radio-tower) backend off', tooltip: info.error }
      : { text: `$(radio-tower) ${new URL(info.wsUrl).host}`, tooltip: `Local backend ${info.wsUrl} (${info.profile}). Click to copy a dev token.` });
    backendStatus.show();
  }));
  // The daemon pushes every change (Docker events, probes); after start, ask once for the state it already has.
  context.subscriptions.push(client.onNotification(StackStateNotification.type, show));
  await client.start();
  show(await client.sendRequest(StackStateRequest.type, undefined));
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
