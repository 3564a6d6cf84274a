// Starts the bundled daemon exactly as vscode-languageclient does with TransportKind.ipc (fork with
// --node-ipc) and checks that it answers LSP initialize with its capabilities, then shuts down cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forkDaemon } from '../support/daemon';

test('daemon answers initialize over IPC', async () => {
  const daemon = forkDaemon();
  daemon.connection.listen();
  try {
    const result = await daemon.initialize(null);
    assert.equal(result.serverInfo?.name, 'handshake');
    assert.equal(typeof result.capabilities, 'object');
    await daemon.shutdown();
    assert.equal(await daemon.exited, 0, "exit after shutdown is a clean exit");
  } finally {
    daemon.dispose();
  }
});
