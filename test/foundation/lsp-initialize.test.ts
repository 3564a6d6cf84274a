// Starts the bundled daemon exactly as vscode-languageclient does with TransportKind.ipc (fork with
// --node-ipc) and checks that it answers LSP initialize with its capabilities, then shuts down cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import path from 'node:path';
import { createProtocolConnection, IPCMessageReader, IPCMessageWriter, InitializeRequest, ShutdownRequest, ExitNotification } from 'vscode-languageserver-protocol/node';

const daemon = path.resolve(__dirname, '../../../dist/daemon.js');

test('daemon answers initialize over IPC', async () => {
  const child = fork(daemon, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.listen();
  try {
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null,
    });
    assert.equal(result.serverInfo?.name, 'handshake');
    assert.equal(typeof result.capabilities, 'object');
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0, "exit after shutdown is a clean exit");
  } finally {
    connection.dispose();
    child.kill();
  }
});
