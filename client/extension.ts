// Extension entry, kept tiny so activation is cheap (rust-analyzer style): it shows the status bar item and
// registers every command of package.json (and the panel's serializer) at once, then loads the body (dist/client.js: the language
// client, the views, the panel) on the next turn, which starts the daemon. A command run before the body
// is loaded waits for it.
import * as vscode from 'vscode';
import type { Started } from './main';

let body: Promise<Started> | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const status = vscode.window.createStatusBarItem('handshake.stack', vscode.StatusBarAlignment.Left, 10);
  Object.assign(status, { name: 'Handshake stack', text: '$(loading~spin) Handshake', tooltip: 'Starting the Handshake daemon', command: 'handshake.stack.focus' });
  status.show();
  context.subscriptions.push(status);
  const loaded = body = new Promise<Started>((resolve, reject) => setImmediate(() => {
    try {
      // A separate bundle beside this one (scripts/build.mjs), so loading it is not part of activation.
      resolve((require('./client.js') as typeof import('./main')).start(context, status));
    } catch (e) {
      reject(e);
    }
  }));
  const commands = (context.extension.packageJSON as { contributes: { commands: Array<{ command: string }> } }).contributes.commands;
  for (const { command } of commands) {
    context.subscriptions.push(vscode.commands.registerCommand(command, async (...args: unknown[]) => (await loaded).commands[command]?.(...args)));
  }
  // Registered during activation, as VS Code asks, for the message panel it restores after a reload.
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer('handshake.panel', {
    deserializeWebviewPanel: async (panel) => (await loaded).revivePanel(panel),
  }));
}

export async function deactivate(): Promise<void> {
  await (await body)?.stop();
}
