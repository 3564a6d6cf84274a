// The message panel's webview: one per window, its page (dist/panel.js) under a CSP of default-src 'none',
// scripts by nonce, local resources limited to dist/ and media/. Every message from the page goes through
// the relay's checks before the daemon sees it. Retained when hidden: its connections stream on meanwhile;
// revived after a window reload with the page's saved state (its connections closed with the old window).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { panelHtml } from './html';
import { PanelRelay } from './relay';

/** Scripts on; local files from dist/ (the page's script) and media/ (its styles) only. */
function pageOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')] };
}

export class MessagePanel {
  private static current: MessagePanel | undefined;
  private readonly relay: PanelRelay;

  static show(extensionUri: vscode.Uri, client: LanguageClient): MessagePanel {
    if (MessagePanel.current) {
      MessagePanel.current.panel.reveal();
      return MessagePanel.current;
    }
    const panel = vscode.window.createWebviewPanel('handshake.panel', 'Handshake: Messages', vscode.ViewColumn.Active,
      { ...pageOptions(extensionUri), retainContextWhenHidden: true });
    MessagePanel.current = new MessagePanel(panel, extensionUri, client);
    return MessagePanel.current;
  }

  /** After a window reload VS Code hands the panel back (its page state saved by setState): the page again. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, client: LanguageClient): void {
    panel.webview.options = pageOptions(extensionUri);
    MessagePanel.current?.panel.dispose();
    MessagePanel.current = new MessagePanel(panel, extensionUri, client);
  }

  /** The Connections view's selection: its frames in the panel (opened if need be). */
  static async inspect(extensionUri: vscode.Uri, client: LanguageClient, connectionId: string): Promise<void> {
    await MessagePanel.show(extensionUri, client).relay.inspect(connectionId);
  }

  private constructor(private readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, client: LanguageClient) {
    const webview = panel.webview;
    this.relay = new PanelRelay({
      sendRequest: (method, params) => client.sendRequest(method, params),
      onNotification: (method, handler) => client.onNotification(method, handler),
    }, {
      post: (message) => void webview.postMessage(message),
      copy: async (text) => {
        await vscode.env.clipboard.writeText(text);
        void vscode.window.showInformationMessage('Handshake: the command is on the clipboard (it mints its own token).');
      },
    });
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'panel.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
    });
    const received = webview.onDidReceiveMessage((m: unknown) => this.relay.handle(m).catch((e: Error) =>
      void vscode.window.showErrorMessage(`Handshake panel: ${e.message}`)));
    panel.onDidDispose(() => {
      received.dispose();
      void this.relay.dispose();
      MessagePanel.current = undefined;
    });
  }
}
