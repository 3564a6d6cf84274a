// The editor's stack commands (Start Stack, Start/Stop/Restart Service…, Show Logs…, Why, Refresh, Lint
// Workspace), run in the daemon with the engine the CLI verbs use, so `handshake up` and the palette behave
// alike. Cancelling a request (the progress notification's Cancel) stops the waiting, never removes anything.
import { ResponseError, type CancellationToken } from 'vscode-languageserver/node';
import {
  FollowLogsRequest, LintWorkspaceRequest, LogChunkNotification, RefreshStackRequest, StackCommandRequest, StackProgressNotification,
  WhyRequest, type StackAction, type StackCommandResult,
} from '../../$shared/protocol';
import { lint } from '../diagnostics/lint';
import { loadRules } from '../diagnostics/rules';
import type { DaemonFeature } from '../lsp/feature';
import type { ComposeProject } from './compose';
import type { StackMonitor } from './monitor';
import { CANCELLED, logs, restart, stop, up } from './orchestrator';
import type { ProgressListener } from './orchestrator/progress';
import { explainService } from './readiness/explain';

export const stackCommandsFeature: DaemonFeature = {
  async start(connection, context) {
    const daemon = context.daemon;
    const unavailable = () => new ResponseError(1, `Handshake: ${context.configError ?? 'the daemon has no workspace'}`);
    connection.onRequest(StackCommandRequest.type, async ({ operationId, action, services, noDeps }, token) => {
      if (!daemon) throw unavailable();
      const monitor = daemon.stack();
      const onProgress: ProgressListener = (event) => void connection.sendNotification(StackProgressNotification.type, { operationId, event });
      const result = await runAction(monitor, action, services, { noDeps, onProgress, signal: abortOn(token) });
      // The monitor follows Docker events anyway; a refresh makes the view match the result the user reads.
      void monitor.refresh().catch(() => undefined);
      return result;
    });
    connection.onRequest(WhyRequest.type, ({ service }) => {
      if (!daemon) throw unavailable();
      const monitor = daemon.stack();
      return { lines: monitor.project ? explainService(monitor.state, monitor.project, service) : [monitor.state.composeError ?? 'the compose project is not loaded yet'] };
    });
    connection.onRequest(RefreshStackRequest.type, async () => {
      if (!daemon) throw unavailable();
      await daemon.stack().refresh();
    });
    connection.onRequest(FollowLogsRequest.type, async ({ streamId, service, tail }, token) => {
      if (!daemon) throw unavailable();
      const run = await logs(requireProject(daemon.stack()), service, { follow: true, tail: tail ?? 200, signal: abortOn(token) });
      const forward = (chunk: Buffer) => void connection.sendNotification(LogChunkNotification.type, { streamId, text: chunk.toString('utf8') });
      run.stdout.on('data', forward);
      run.stderr.on('data', forward);
      return { exitCode: await run.done };
    });
    connection.onRequest(LintWorkspaceRequest.type, async () => {
      if (!context.config) throw unavailable();
      const rules = loadRules(context.config);
      let files = 0;
      let findings = 0;
      const filesWithFindings: string[] = [];
      for await (const reports of lint([context.workspace], rules, { workspaceRoot: context.workspace })) {
        for (const report of reports) {
          files++;
          findings += report.findings.length;
          if (report.findings.length) filesWithFindings.push(report.path);
        }
      }
      return { files, findings, filesWithFindings };
    });
  },
};

interface RunOptions { noDeps?: boolean; onProgress: ProgressListener; signal: AbortSignal }

/** up, stop or restart on the daemon's compose project; known failures become a result the editor shows. */
async function runAction(monitor: StackMonitor, action: StackAction, services: string[], options: RunOptions): Promise<StackCommandResult> {
  const began = Date.now();
  const empty = { ok: false, settled: [], blocked: [], elapsedMs: 0 };
  try {
    const project = requireProject(monitor);
    let result: StackCommandResult;
    if (action === 'up') result = await up(project, services, options);
    else if (action === 'restart') result = await restart(project, services[0] ?? '', options);
    else {
      await stop(project, services);
      result = { ok: true, settled: [], blocked: [], elapsedMs: Date.now() - began };
    }
    return result.failure?.reason === CANCELLED ? { ...result, ok: false, failure: undefined, blocked: [], cancelled: true } : result;
  } catch (e) {
    // Engine unreachable, no Compose CLI, a compose command that failed, an unknown service: one sentence each.
    return { ...empty, error: (e as Error).message, elapsedMs: Date.now() - began };
  }
}

function requireProject(monitor: StackMonitor): ComposeProject {
  if (!monitor.project) throw new Error(monitor.state.composeError ?? 'no compose project in this workspace (compose.yaml, docker-compose*.yml)');
  return monitor.project;
}

/** An AbortSignal that fires when the client cancels the request. */
function abortOn(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
