// The daemon stays responsive while it scans a workspace of a few thousand files and a pathological one:
// during the scan, its local backend answers a WebSocket ping and the language server answers a request on
// an open document (both asserted to arrive while the scan is still running, not against a time). The scan
// reports $/progress with counts, can be cancelled, and once complete finds every import site.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource, CodeActionRequest, DidOpenTextDocumentNotification, WorkDoneProgress, WorkspaceDiagnosticRequest,
  type WorkDoneProgressBegin, type WorkDoneProgressEnd, type WorkDoneProgressReport, type WorkspaceDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import WebSocket from 'ws';
import { TokenRequest } from '../../$shared/protocol';
import { daemonWithBackend, type ForkedDaemon } from '../support/daemon';
import { writePythonTree } from '../support/python-tree';
import { tempTree } from '../support/temp-tree';

const FILES = 2000;

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/** A workspace diagnostics pull with its own progress token; `done` is true once the answer is in. */
function startScan(daemon: ForkedDaemon, token: string, cancel?: CancellationTokenSource) {
  const progress: Progress[] = [];
  let firstReport: () => void = () => {};
  const reported = new Promise<void>((resolve) => { firstReport = resolve; });
  daemon.connection.onProgress(WorkDoneProgress.type, token, (p) => {
    progress.push(p);
    if (p.kind === 'report') firstReport();
  });
  const scan = { done: false, progress, reported, answer: undefined as unknown as Promise<WorkspaceDiagnosticReport> };
  scan.answer = daemon.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [], workDoneToken: token }, cancel?.token)
    .finally(() => { scan.done = true; });
  return scan;
}

test('during a workspace scan the backend and the language server answer; progress, cancel, recall 1.0', async () => {
  const workspace = tempTree({
    'handshake.config.json': JSON.stringify({ backend: { port: 0 } }),
    'open/agent.py': 'from netra_backend.app.services.websocket_notifier import WebSocketNotifier\n\nn = WebSocketNotifier(None)\n',
  }, 'handshake-scan-');
  const sites = writePythonTree(workspace, { files: FILES, bytes: 1500, importEvery: 50, mentionEvery: 10, pathologicalLines: 3000 });
  const walked = FILES + 2; // the modules, the pathological file and the open document
  const { daemon, backend: info } = await daemonWithBackend(workspace);
  const { connection } = daemon;
  try {
    assert.ok(!('error' in info), JSON.stringify(info));
    const { token } = await connection.sendRequest(TokenRequest.type, { user: 'scan-user' });
    const ws = new WebSocket(info.wsUrl, { headers: { Authorization: `Bearer ${token}` } });
    const messages: Array<{ type: string }> = [];
    const next = (type: string) => new Promise<void>((resolve) => {
      const check = () => (messages.some((m) => m.type === type) ? resolve() : setTimeout(check, 5));
      check();
    });
    ws.on('message', (m) => messages.push(JSON.parse(String(m)) as { type: string }));
    await next('connection_established');
    const agent = path.join(workspace, 'open/agent.py');
    const agentUri = pathToFileURL(agent).href;
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: agentUri, languageId: 'python', version: 1, text: fs.readFileSync(agent, 'utf8') },
    });

    // Cancelled after its first progress report: it answers with what it has, and its progress ends.
    const cancel = new CancellationTokenSource();
    const cancelled = startScan(daemon, 'scan-cancelled', cancel);
    await cancelled.reported;
    cancel.cancel();
    const partial = await cancelled.answer;
    assert.ok(partial.items.length < sites.length, `the cancelled scan stopped early (${partial.items.length} reports)`);
    assert.equal(cancelled.progress.at(-1)?.kind, 'end');

    const scan = startScan(daemon, 'scan-full');
    await scan.reported;
    ws.send(JSON.stringify({ type: 'ping', data: {} }));
    await next('pong');
    assert.equal(scan.done, false, 'the backend answered a ping while the scan was running');
    const actions = await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: agentUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.handshake'] },
    });
    assert.equal(scan.done, false, 'the language server answered a request on an open document while the scan was running');
    assert.deepEqual(actions?.map((a) => a.title), ['Fix all deprecated notifier uses in file']);
    ws.close();

    const report = await scan.answer;
    const begin = scan.progress[0];
    assert.equal(begin?.kind, 'begin');
    assert.equal((begin as WorkDoneProgressBegin).cancellable, true);
    const counts = scan.progress.flatMap((p) => (p.kind === 'report' && p.message ? [p.message] : []));
    assert.ok(counts.length > 0 && counts.every((m) => new RegExp(`^\\d+/${walked} files$`).test(m)), counts.join(', '));
    const flagged = report.items.filter((i) => i.kind === 'full' && i.items.some((d) => d.code === 'websocket-notifier/deprecated-import'));
    assert.deepEqual(flagged.map((i) => i.uri).sort(), sites.map((s) => pathToFileURL(path.join(workspace, s.path)).href).sort(),
      'every importing file but the open one (the document pull reports it)');

    await daemon.shutdown();
    assert.equal(await daemon.exited, 0);
  } finally {
    daemon.dispose();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
