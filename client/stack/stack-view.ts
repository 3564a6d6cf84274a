// Adapts stackTree()'s nodes to VS Code's TreeDataProvider (the tree-view-sample shape: a private
// EventEmitter whose event is onDidChangeTreeData, fired when the daemon pushes a new state).
import * as vscode from 'vscode';
import type { StackState } from '../../$shared/protocol';
import { stackTree, type StackNode } from './stack-tree';

export class StackView implements vscode.TreeDataProvider<StackNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: StackNode[] = stackTree(undefined);

  update(state: StackState): void {
    this.roots = stackTree(state);
    this.changed.fire();
  }

  getChildren(node?: StackNode): StackNode[] {
    return node ? node.children ?? [] : this.roots;
  }

  getTreeItem(node: StackNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.children?.length
      ? (node.contextValue === 'stack' || (node.contextValue?.startsWith('service.') && node.contextValue !== 'service.ready')
        ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed)
      : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.icon, node.color ? new vscode.ThemeColor(node.color) : undefined);
    item.contextValue = node.contextValue;
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
