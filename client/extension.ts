// Extension entry: starts the daemon over IPC and adapts what it reports to VS Code. Logic lives in the
// daemon and in plain modules; this file stays glue.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

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
  await client.start();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
