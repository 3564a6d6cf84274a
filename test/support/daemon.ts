// dist/daemon.js started exactly as vscode-languageclient does with TransportKind.ipc (fork with
// --node-ipc), and the LSP connection to it. The caller registers its handlers, then calls listen().
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, ExitNotification, InitializedNotification, InitializeRequest, IPCMessageReader, IPCMessageWriter, ShutdownRequest,
  type InitializeResult, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { BackendStartedNotification, type BackendInfo } from '../../$shared/protocol';

const daemon = path.resolve(__dirname, '../../../dist/daemon.js');

export interface ForkedDaemon {
  child: ChildProcess;
  connection: ProtocolConnection;
  /** The daemon's exit code, once it has exited. */
  exited: Promise<number | null>;
  /** LSP initialize with the workspace as root (null: no folder open); `initialized` is the caller's to send. */
  initialize(workspace: string | null): Promise<InitializeResult>;
  /** shutdown, then exit, as an editor that closes does. */
  shutdown(): Promise<void>;
  /** Frees the connection and kills the daemon if it still runs (for `finally`). */
  dispose(): void;
}

export function forkDaemon(opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ForkedDaemon {
  const child = fork(daemon, ['--node-ipc'], { ...opts, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  return {
    child, connection, exited,
    initialize: (workspace) => connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: workspace === null ? null : pathToFileURL(workspace).href, capabilities: {}, workspaceFolders: null,
    }),
    async shutdown() {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
    },
    dispose() {
      connection.dispose();
      child.kill();
    },
  };
}

/**
 * The daemon forked on a workspace (the generated JWT secret kept inside it), initialized, once its local
 * backend announced itself: its URLs, or why it did not start. The caller disposes of the daemon.
 */
export async function daemonWithBackend(workspace: string): Promise<{ daemon: ForkedDaemon; backend: BackendInfo | { error: string } }> {
  const daemon = forkDaemon({ env: { ...process.env, XDG_STATE_HOME: path.join(workspace, '.state'), HANDSHAKE_JWT_SECRET: '' } });
  const { connection } = daemon;
  const announced = new Promise<BackendInfo | { error: string }>((resolve) => connection.onNotification(BackendStartedNotification.type, resolve));
  connection.listen();
  try {
    await daemon.initialize(workspace);
    await connection.sendNotification(InitializedNotification.type, {});
    return { daemon, backend: await announced };
  } catch (e) {
    daemon.dispose();
    throw e;
  }
}
