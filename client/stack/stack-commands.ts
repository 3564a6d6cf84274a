// The stack commands in VS Code: each asks the daemon (the engine of `handshake up/stop/restart/why`) and
// shows its progress per service under withProgress. Cancel stops the waiting, never removes containers or
// volumes. A failure names the service and its cause, with "Why?" and "Show Logs" one click away.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  LintWorkspaceRequest, RefreshStackRequest, StackCommandRequest, StackProgressNotification, WhyRequest, type StackAction, type StackState,
} from '../../$shared/protocol';
import type { Handler } from '../main';
import { progressMessage, resultNotice, serviceOfNode, servicesFor } from './commands-model';

export function stackCommands(client: () => Promise<LanguageClient>, state: () => StackState | undefined): Record<string, Handler> {
  const pick = async (action: StackAction | 'logs' | 'why', node: unknown, title: string): Promise<string | undefined> =>
    serviceOfNode(node) ?? vscode.window.showQuickPick(servicesFor(action, state()), { title: `Handshake: ${title}`, placeHolder: 'service' });

  const run = async (action: StackAction, services: string[], noDeps = false) => {
    const c = await client();
    const operationId = `${action}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const title = `Handshake: ${action === 'up' ? 'starting' : action === 'stop' ? 'stopping' : 'restarting'} ${services.length ? services.join(', ') : 'the stack'}`;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: action !== 'stop' }, async (progress, token) => {
      // Progress events are matched to this operation by id: two commands may run at once.
      const listener = c.onNotification(StackProgressNotification.type, (p) => {
        if (p.operationId === operationId) progress.report({ message: progressMessage(p.event) });
      });
      try {
        return await c.sendRequest(StackCommandRequest.type, { operationId, action, services, noDeps }, token);
      } finally {
        listener.dispose();
      }
    });
    const notice = resultNotice(action, services, result);
    const show = { info: vscode.window.showInformationMessage, warning: vscode.window.showWarningMessage, error: vscode.window.showErrorMessage }[notice.severity];
    const choice = await show(notice.message, ...(notice.service ? ['Why?', 'Show Logs'] : []));
    if (choice === 'Why?') await vscode.commands.executeCommand('handshake.why', notice.service);
    if (choice === 'Show Logs') await vscode.commands.executeCommand('handshake.showLogs', notice.service);
  };

  return {
    'handshake.startStack': () => run('up', []),
    'handshake.stopStack': () => run('stop', []),
    'handshake.startService': async (node) => { const s = await pick('up', node, 'Start Service'); if (s) await run('up', [s]); },
    'handshake.startServiceNoDeps': async (node) => { const s = await pick('up', node, 'Start Service Without Dependencies'); if (s) await run('up', [s], true); },
    'handshake.stopService': async (node) => { const s = await pick('stop', node, 'Stop Service'); if (s) await run('stop', [s]); },
    'handshake.restartService': async (node) => { const s = await pick('restart', node, 'Restart Service'); if (s) await run('restart', [s]); },
    'handshake.why': async (node) => {
      const service = typeof node === 'string' ? node : await pick('why', node, 'Why Is This Not Ready?');
      if (!service) return;
      const { lines } = await (await client()).sendRequest(WhyRequest.type, { service });
      const [first, ...rest] = lines;
      await vscode.window.showInformationMessage(first ?? service, { modal: true, detail: rest.join('\n') });
    },
    'handshake.refresh': async () => (await client()).sendRequest(RefreshStackRequest.type),
    'handshake.lintWorkspace': async () => {
      const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Handshake: linting the workspace' },
        async () => (await client()).sendRequest(LintWorkspaceRequest.type));
      const message = `Handshake: ${r.findings} deprecated-notifier finding(s) in ${r.filesWithFindings.length} of ${r.files} file(s).`;
      if (r.findings === 0) return void vscode.window.showInformationMessage(message);
      const choice = await vscode.window.showWarningMessage(message, 'Show Problems');
      if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
    },
  };
}
