// The daemon publishes the stack state over LSP as the extension receives it: dist/daemon.js forked with
// --node-ipc (as vscode-languageclient does), handshake/stackState notifications on every change, and
// handshake/getStackState answering with the current state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, ExitNotification, InitializedNotification, InitializeRequest, IPCMessageReader, IPCMessageWriter, ShutdownRequest,
} from 'vscode-languageserver-protocol/node';
import { StackStateNotification, StackStateRequest, type StackState } from '../../$shared/protocol';
import { requireDocker } from '../support/docker';
import { serviceOf, tinyStack } from './tiny-stack';

const daemon = path.resolve(__dirname, '../../../dist/daemon.js');

test('daemon: stack state notifications follow the engine (ready, then a killed container)', { timeout: 60_000 }, async (t) => {
  const docker = await requireDocker(t);
  if (!docker) return;
  const stack = await tinyStack('lsp');
  const child = fork(daemon, ['--node-ipc'], { cwd: stack.dir, env: stack.env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const received: StackState[] = [];
  const waiters: Array<() => void> = [];
  connection.onNotification(StackStateNotification.type, (state) => {
    received.push(state);
    for (const w of waiters.splice(0)) w();
  });
  connection.listen();
  const next = (ok: (s: StackState) => boolean, what: string) => new Promise<StackState>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no such notification; last: ${JSON.stringify(received.at(-1)?.services.map((s) => s.summary))}`)), 20_000);
    const check = () => {
      const hit = received.find(ok);
      if (hit) {
        clearTimeout(timer);
        resolve(hit);
      } else waiters.push(check);
    };
    check();
  });
  try {
    await stack.compose('up', '-d');
    await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(stack.dir).href, capabilities: {}, workspaceFolders: null });
    await connection.sendNotification(InitializedNotification.type, {});
    const ready = await next((s) => s.ready, 'stack ready');
    assert.equal(ready.project?.name, stack.project);
    const current = await connection.sendRequest(StackStateRequest.type);
    assert.equal(current.ready, true);

    const web = serviceOf(ready, 'web')?.container.id as string;
    await docker.getContainer(web).kill();
    const killed = await next((s) => serviceOf(s, 'web')?.readiness === 'failed', 'web failed');
    assert.equal(serviceOf(killed, 'web')?.container.exitCode, 137);
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
  } finally {
    connection.dispose();
    child.kill();
    await stack.down();
  }
});
