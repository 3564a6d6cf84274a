// A capability of the daemon as the language server sees it: what it adds to the initialize result and
// how it hooks into the connection once the workspace is known. Each capability folder exports one.
import type { ClientCapabilities, Connection, ServerCapabilities } from 'vscode-languageserver/node';
import type { HandshakeConfig } from '../config/config';
import type { Daemon } from '../daemon/daemon';

export interface DaemonContext {
  workspace: string;
  /** undefined when the config file is malformed; configError then says why. */
  config: HandshakeConfig | undefined;
  configError: string | undefined;
  /** The daemon this language server fronts; undefined when the config is malformed (nothing to start it with). */
  daemon: Daemon | undefined;
  /** The Docker context the window chose (the extension's `handshake.docker.context`, sent as
   *  initializationOptions.dockerContext); unset: as the Docker CLI would choose. */
  dockerContext?: string;
  /** What the editor said it supports (pull diagnostics, documentChanges, dynamic watchers...). */
  clientCapabilities: ClientCapabilities;
}

export interface DaemonFeature {
  capabilities?: ServerCapabilities;
  /** Called after `initialized`; resources it opens are closed by the returned disposer. */
  start(connection: Connection, context: DaemonContext): Promise<(() => Promise<void> | void) | void>;
}
