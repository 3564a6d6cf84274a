// dist/daemon.js started exactly as vscode-languageclient does with TransportKind.ipc (fork with
// --node-ipc), and the LSP connection to it. The caller registers its handlers, then calls listen().
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BackendStartedNotification, type BackendInfo } from '../../$shared/protocol';
import {
  createProtocolConnection, ExitNotification, InitializedNotification, InitializeRequest, IPCMessageReader, IPCMessageWriter, ShutdownRequest,
  type InitializeResult, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';

const daemon = path.resolve(__dirname, '../../../dist/daemon.js');

export interface ForkedDaemon {
  child: ChildProcess;
  connection: ProtocolConnection;
  /** The daemon's exit code, once it has exited. */
  exited: Promise<number | null>;
  /** LSP initialize with the workspace as root (null: no folder open) and the extension's initializationOptions; `initialized` is the caller's to send. */
  initialize(workspace: string | null, initializationOptions?: { dockerContext?: string }): Promise<InitializeResult>;
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
    initialize: (workspace, initializationOptions) => connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: workspace === null ? null : pathToFileURL(workspace).href, capabilities: {}, workspaceFolders: null, initializationOptions,
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
 * The daemon forked on a workspace (by default its generated JWT secret kept inside the workspace) and
 * initialized, once its local backend announced itself; throws when the backend did not start. The caller
 * disposes of the daemon.
 */
export async function daemonWithBackend(workspace: string,
  env: NodeJS.ProcessEnv = { ...process.env, XDG_STATE_HOME: path.join(workspace, '.state'), HANDSHAKE_JWT_SECRET: '' }): Promise<{ daemon: ForkedDaemon; backend: BackendInfo }> {
  const daemon = forkDaemon({ cwd: workspace, env });
  const { connection } = daemon;
  const announced = new Promise<BackendInfo | { error: string }>((resolve) => connection.onNotification(BackendStartedNotification.type, resolve));
  connection.listen();
  try {
    await daemon.initialize(workspace);
    await connection.sendNotification(InitializedNotification.type, {});
    const backend = await announced;
    if ('error' in backend) throw new Error(`the daemon's backend did not start: ${backend.error}`);
    return { daemon, backend };
  } catch (e) {
    daemon.dispose();
    throw e;
  }
}
