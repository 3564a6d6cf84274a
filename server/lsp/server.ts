// The daemon as a language server: the extension starts it over IPC (vscode-languageclient,
// TransportKind.ipc) and every capability registers itself here.
import { createConnection, ProposedFeatures, type InitializeResult } from 'vscode-languageserver/node';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/config';
import { startDaemon } from '../daemon/daemon';
import { VERSION } from '../version';
import type { DaemonContext, DaemonFeature } from './feature';
import { diagnosticsFeature } from '../diagnostics/lsp/feature';
import { stackFeature } from '../stack/lsp-feature';
import { backendFeature } from '../backend/daemon-feature';
import { inspectorFeature } from '../inspector/lsp-feature';
import { stackCommandsFeature } from '../stack/commands-feature';
import { panelFeature } from '../panel/lsp-feature';
import { proxyFeature } from '../proxy/lsp-feature';

// diagnosticsFeature first: it must listen for didOpen before any feature awaits during start().
const features: DaemonFeature[] = [diagnosticsFeature, stackFeature, backendFeature, inspectorFeature, proxyFeature, stackCommandsFeature, panelFeature];

export function runLanguageServer(): void {
  // createConnection() reads --node-ipc / --stdio from argv, as vscode-languageclient passes them.
  const connection = createConnection(ProposedFeatures.all);
  const disposers: Array<() => Promise<void> | void> = [];
  let context: DaemonContext = { workspace: process.cwd(), config: undefined, configError: undefined, daemon: undefined, clientCapabilities: {} };

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    const workspace = folder?.startsWith('file:') ? fileURLToPath(folder) : process.cwd();
    // The window's Docker context (the extension's handshake.docker.context setting), if it chose one.
    const dockerContext = (params.initializationOptions as { dockerContext?: string } | undefined)?.dockerContext || undefined;
    const base = { workspace, daemon: undefined, dockerContext, clientCapabilities: params.capabilities };
    try {
      context = { ...base, config: loadConfig(workspace), configError: undefined };
    } catch (e) {
      // A malformed config must not kill the daemon: report it and run what needs no config.
      context = { ...base, config: undefined, configError: (e as Error).message };
    }
    if (context.config) {
      // Started before `initialized`, so every feature finds it ready and no didOpen is missed meanwhile.
      try {
        const daemon = await startDaemon({ workspace, config: context.config, kind: 'editor', ...(dockerContext ? { dockerContext } : {}) });
        context = { ...context, daemon };
        disposers.push(() => daemon.close());
      } catch (e) {
        // An unusable JWT setup (jwt.secretEnv unset) is reported like a config error; diagnostics still run.
        context = { ...context, configError: (e as Error).message };
      }
    }
    const capabilities = Object.assign({}, ...features.map((f) => f.capabilities ?? {}));
    return { capabilities, serverInfo: { name: 'handshake', version: VERSION } };
  });

  connection.onInitialized(async () => {
    if (context.configError) void connection.window.showErrorMessage(`Handshake: ${context.configError}`);
    for (const feature of features) {
      try {
        const dispose = await feature.start(connection, context);
        if (dispose) disposers.push(dispose);
      } catch (e) {
        connection.console.error(`handshake: a feature failed to start: ${(e as Error).message}`);
      }
    }
  });

  connection.onShutdown(async () => {
    await Promise.allSettled(disposers.map((d) => d()));
  });

  connection.listen();
}
