// Commands on the daemon's other parts: the local backend, the recording proxy, dev tokens, the message
// panel, and the inspector's connections (show, export). Each asks the daemon and says what happened; none
// shows a token.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BackendRequest, ExportConnectionsRequest, StartProxyRequest, TokenRequest } from '../$shared/protocol';
import type { Handler } from './main';
import { MessagePanel } from './panel/panel';

export function daemonCommands(extensionUri: vscode.Uri, client: () => Promise<LanguageClient>): Record<string, Handler> {
  const failed = (what: string, e: unknown) => void vscode.window.showErrorMessage(`Handshake: ${what}: ${(e as Error).message ?? e}`);
  const backend = (action: 'start' | 'stop') => async () => {
    try {
      const r = await (await client()).sendRequest(BackendRequest.type, { action });
      if ('error' in r) return void vscode.window.showErrorMessage(`Handshake: ${r.error}`);
      void vscode.window.showInformationMessage(action === 'start' ? `Handshake: the local backend listens on ${r.wsUrl}.` : 'Handshake: the local backend stopped.');
    } catch (e) {
      failed(`${action} the local backend`, e);
    }
  };
  return {
    'handshake.copyToken': async () => {
      const user = await vscode.window.showInputBox({ prompt: 'User id (the token\'s sub claim)', value: 'dev-user' });
      if (!user) return;
      const { token, expiresAt } = await (await client()).sendRequest(TokenRequest.type, { user });
      await vscode.env.clipboard.writeText(token);
      // The token itself is never shown, only where it went.
      void vscode.window.showInformationMessage(`Handshake: a dev token for ${user} is on the clipboard (expires ${expiresAt}).`);
    },
    'handshake.openPanel': async () => { MessagePanel.show(extensionUri, await client()); },
    'handshake.showConnection': async (id) => {
      if (typeof id === 'string') await MessagePanel.inspect(extensionUri, await client(), id);
    },
    'handshake.startBackend': backend('start'),
    'handshake.stopBackend': backend('stop'),
    'handshake.startProxy': async () => {
      const target = await vscode.window.showInputBox({ title: 'Handshake: Start Recording Proxy', prompt: 'Forward to (ws:// or wss://)', value: 'ws://localhost:8002',
        validateInput: (v) => /^wss?:\/\/[^\s/]+/.test(v) ? undefined : 'a ws:// or wss:// URL' });
      if (!target) return;
      const listen = await vscode.window.showInputBox({ title: 'Handshake: Start Recording Proxy', prompt: 'Listen on (loopback host:port)', value: '127.0.0.1:8003',
        validateInput: (v) => /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost):\d{1,5}$/.test(v) ? undefined : 'a loopback address such as 127.0.0.1:8003' });
      if (!listen) return;
      try {
        const r = await (await client()).sendRequest(StartProxyRequest.type, { listen, target });
        if ('error' in r) return void vscode.window.showErrorMessage(`Handshake: ${r.error}`);
        void vscode.window.showInformationMessage(`Handshake: recording proxy ws://${r.listen} → ${r.target}; its connections appear in the Connections view.`);
      } catch (e) {
        failed('start the recording proxy', e);
      }
    },
    'handshake.exportConnections': async () => {
      const format = await vscode.window.showQuickPick([{ label: 'har', description: 'HAR 1.2 (browser dev tools, Charles, Fiddler)' },
        { label: 'jsonl', description: 'JSON Lines: one record per connection and frame' }], { title: 'Handshake: Export Connections' });
      if (!format) return;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const uri = await vscode.window.showSaveDialog({ filters: { [format.label.toUpperCase()]: [format.label] },
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `handshake-connections.${format.label}`) } : {}) });
      if (!uri) return;
      try {
        const { text } = await (await client()).sendRequest(ExportConnectionsRequest.type, { format: format.label as 'har' | 'jsonl' });
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
        void vscode.window.showInformationMessage(`Handshake: connections exported to ${vscode.workspace.asRelativePath(uri)} (tokens redacted).`);
      } catch (e) {
        failed('export the connections', e);
      }
    },
  };
}
