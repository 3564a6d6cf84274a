// The editor's stack commands in the daemon (dist/daemon.js over IPC, a real engine): Start Stack on the
// migrate-fails fixture ends naming migrate with its cause and what it blocked, with progress per service on
// the way; Why answers as `handshake why`; Show Logs streams the output until cancelled; a cancelled start
// stops waiting and leaves the containers there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CancellationTokenSource, InitializedNotification } from 'vscode-languageserver-protocol/node';
import {
  FollowLogsRequest, LogChunkNotification, StackCommandRequest, StackProgressNotification, StackStateNotification, WhyRequest, type ProgressEvent, type StackState,
} from '../../$shared/protocol';
import { fixtureStack, type FixtureStack } from '../fixtures/stack/fixture';
import { forkDaemon, type ForkedDaemon } from '../support/daemon';
import { requireDocker } from '../support/docker';
import { tempTree } from '../support/temp-tree';
import { containersOf } from './e2e-support';

/** The daemon on a workspace whose config names the fixture's files and project, once its monitor has loaded. */
async function daemonOn(stack: FixtureStack, onProgress: (e: ProgressEvent) => void = () => undefined): Promise<{ daemon: ForkedDaemon; workspace: string; progress: Map<string, ProgressEvent[]> }> {
  const workspace = tempTree({ 'handshake.config.json': JSON.stringify({ compose: { files: stack.files, projectName: stack.project }, backend: { port: 0 } }) }, 'hs-cmds-');
  const daemon = forkDaemon({ cwd: workspace, env: { ...stack.env, XDG_STATE_HOME: path.join(workspace, '.state') } });
  const progress = new Map<string, ProgressEvent[]>();
  // One handler per method (vscode-jsonrpc keeps the last): it records and passes each event on.
  daemon.connection.onNotification(StackProgressNotification.type, ({ operationId, event }) => {
    progress.set(operationId, [...progress.get(operationId) ?? [], event]);
    onProgress(event);
  });
  const loaded = new Promise<void>((resolve) => daemon.connection.onNotification(StackStateNotification.type, (s: StackState) => { if (s.project) resolve(); }));
  daemon.connection.listen();
  await daemon.initialize(workspace);
  await daemon.connection.sendNotification(InitializedNotification.type, {});
  await loaded;
  return { daemon, workspace, progress };
}

test('Start Stack on a failing stack names migrate, its cause and what it blocked; Why explains backend; its logs stream', { timeout: 120_000 }, async (t) => {
  const docker = await requireDocker(t);
  if (!docker) return;
  const stack = await fixtureStack('lsp-cmds', 'migrate-fails');
  const { daemon, workspace, progress } = await daemonOn(stack);
  try {
    const result = await daemon.connection.sendRequest(StackCommandRequest.type, { operationId: 'op1', action: 'up', services: [] });
    assert.equal(result.ok, false);
    assert.equal(result.failure?.service, 'migrate');
    assert.match(result.failure?.reason ?? '', /exited with code 1/);
    assert.match(result.failure?.firstErrorLine ?? '', /ImportError/);
    assert.deepEqual(result.blocked.map((b) => b.service), ['backend']);
    const phases = (progress.get('op1') ?? []).map((e) => `${e.service}:${e.phase}`);
    assert.ok(phases.includes('db:healthy') && phases.includes('migrate:failed') && phases.includes('backend:blocked'), phases.join(' '));
    const why = await daemon.connection.sendRequest(WhyRequest.type, { service: 'backend' });
    assert.match(why.lines.join('\n'), /backend is blocked by migrate/);
    assert.match(why.lines.join('\n'), /ImportError/);

    // Show Logs: the followed output streams in chunks until the request is cancelled (the terminal closed).
    let logText = '';
    const stopFollowing = new CancellationTokenSource();
    daemon.connection.onNotification(LogChunkNotification.type, ({ streamId, text }) => {
      if (streamId !== 'logs1') return;
      logText += text;
      if (/ImportError/.test(logText)) stopFollowing.cancel();
    });
    const followed = await daemon.connection.sendRequest(FollowLogsRequest.type, { streamId: 'logs1', service: 'migrate' }, stopFollowing.token);
    assert.deepEqual(followed, { exitCode: 0 }, 'stopping to follow is no failure');
    assert.match(logText, /migrate: applying migrations/);
  } finally {
    daemon.dispose();
    await stack.down();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});

test('a cancelled Start Stack stops waiting; the containers it created stay', { timeout: 120_000 }, async (t) => {
  const docker = await requireDocker(t);
  if (!docker) return;
  const stack = await fixtureStack('lsp-cancel');
  const cancel = new CancellationTokenSource();
  // Cancel once db is healthy: its container exists, and the rest of the stack is still on its way.
  const { daemon, workspace, progress } = await daemonOn(stack, (event) => { if (event.service === 'db' && event.phase === 'healthy') cancel.cancel(); });
  try {
    const result = await daemon.connection.sendRequest(StackCommandRequest.type, { operationId: 'op2', action: 'up', services: [] }, cancel.token).catch((e: Error) => e);
    assert.ok(!(result instanceof Error) && result.cancelled && !result.failure, result instanceof Error ? result.message : JSON.stringify(result));
    assert.ok((progress.get('op2') ?? []).length > 0);
    assert.ok(!result.settled.includes('backend'), 'it stopped before the end');
    const [db] = await containersOf(docker, stack, 'db');
    assert.equal(db?.State, 'running', 'the db container is still there, still running');
  } finally {
    daemon.dispose();
    await stack.down();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
