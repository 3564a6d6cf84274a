// Show Logs…: a service's logs, followed, in a terminal. The daemon runs `compose logs --follow` (the engine of
// `handshake logs`) and streams the output; closing the terminal cancels the request, which ends the follow.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FollowLogsRequest, LogChunkNotification } from '../../$shared/protocol';

export function openLogsTerminal(client: LanguageClient, service: string): vscode.Terminal {
  const streamId = `logs-${service}-${Date.now().toString(36)}`;
  const write = new vscode.EventEmitter<string>();
  const cancel = new vscode.CancellationTokenSource();
  let chunks: vscode.Disposable | undefined;
  const pty: vscode.Pseudoterminal = {
    onDidWrite: write.event,
    open: () => {
      chunks = client.onNotification(LogChunkNotification.type, (p) => {
        // A terminal wants CRLF; compose writes LF.
        if (p.streamId === streamId) write.fire(p.text.replace(/\r?\n/g, '\r\n'));
      });
      client.sendRequest(FollowLogsRequest.type, { streamId, service }, cancel.token).then(
        ({ exitCode }) => write.fire(`\r\n[handshake: the log of ${service} ended (exit ${exitCode})]\r\n`),
        (e: Error) => { if (!cancel.token.isCancellationRequested) write.fire(`\r\n[handshake: ${e.message}]\r\n`); });
    },
    close: () => {
      cancel.cancel();
      chunks?.dispose();
      write.dispose();
    },
  };
  const terminal = vscode.window.createTerminal({ name: `Handshake logs: ${service}`, pty });
  terminal.show();
  return terminal;
}
