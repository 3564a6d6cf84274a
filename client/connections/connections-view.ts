// The Connections view: the inspector's live and recent connections (the daemon pushes every change), as
// connectionNode() describes them. Selecting one shows its frames in the message panel. Until the daemon
// answers, the view is empty and its welcome text says what the inspector records.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ConnectionChangedNotification, ConnectionsRequest, type ConnectionSummary } from '../../$shared/protocol';
import { connectionNode, upsertConnection } from './connections-model';

export class ConnectionsView implements vscode.TreeDataProvider<ConnectionSummary>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private connections: ConnectionSummary[] = [];
  private pending: NodeJS.Timeout | undefined;
  /** While a connection is open its duration grows: redraw once a second, only then. */
  private readonly ticker = setInterval(() => { if (this.connections.some((c) => c.phase === 'open')) this.changed.fire(); }, 1000);
  private subscription: vscode.Disposable | undefined;

  /** Subscribes to the daemon's changes and loads what it has; again after the daemon restarted (a new daemon
   *  has a new record: what the old one held goes). */
  async attach(client: LanguageClient): Promise<void> {
    this.subscription?.dispose();
    this.connections = [];
    this.subscription = client.onNotification(ConnectionChangedNotification.type, (summary) => {
      this.connections = upsertConnection(this.connections, summary);
      this.redraw();
    });
    try {
      const { connections } = await client.sendRequest(ConnectionsRequest.type, {});
      // Changes that came while the list loaded are newer than it: they win.
      this.connections = connections.reduce((list, c) => list.some((x) => x.id === c.id) ? list : upsertConnection(list, c), this.connections);
    } catch {
      this.connections = [];   // a daemon without the inspector: the welcome text stays
    }
    this.redraw();
  }

  getChildren(node?: ConnectionSummary): ConnectionSummary[] {
    return node ? [] : this.connections;
  }

  getTreeItem(c: ConnectionSummary): vscode.TreeItem {
    const node = connectionNode(c, Date.now());
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.icon, node.color ? new vscode.ThemeColor(node.color) : undefined);
    item.contextValue = node.contextValue;
    item.command = { command: 'handshake.showConnection', title: 'Show Frames', arguments: [c.id] };
    return item;
  }

  /** Many changes a second (frame counts) draw once. */
  private redraw(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changed.fire();
    }, 100);
  }

  dispose(): void {
    clearInterval(this.ticker);
    clearTimeout(this.pending);
    this.subscription?.dispose();
    this.changed.dispose();
  }
}
