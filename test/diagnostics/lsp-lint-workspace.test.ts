// Lint Workspace in the editor asks the daemon, which runs `handshake lint`'s engine over the workspace: the
// editor's counts must be the CLI's on the same tree (the notifier fixture), file for file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LintWorkspaceRequest } from '../../$shared/protocol';
import { handshake } from '../stack/e2e-support';
import { daemonWithBackend } from '../support/daemon';
import { copyWorkspace, FIXTURE } from './lsp-client';

test('Lint Workspace: the daemon counts the same findings in the same files as handshake lint', { timeout: 60_000 }, async () => {
  const workspace = copyWorkspace(FIXTURE);
  // The fixture's config names no backend port: one of our own keeps the daemon off the default 8787.
  const config = JSON.parse(fs.readFileSync(path.join(workspace, 'handshake.config.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(workspace, 'handshake.config.json'), JSON.stringify({ ...config, backend: { port: 0 } }));
  const env = { ...process.env, XDG_STATE_HOME: path.join(workspace, '.state') };
  const { daemon } = await daemonWithBackend(workspace, env);
  try {
    const editor = await daemon.connection.sendRequest(LintWorkspaceRequest.type);
    const cli = await handshake({ dir: workspace, env }, ['lint', '--format', 'json']);
    const { summary } = JSON.parse(cli.stdout) as { summary: { files: number; findings: number; filesWithFindings: number } };
    assert.ok(summary.findings > 10, cli.stdout.slice(0, 300));
    assert.equal(editor.findings, summary.findings);
    assert.equal(editor.filesWithFindings.length, summary.filesWithFindings);
    assert.ok(editor.filesWithFindings.includes('netra_backend/app/agents/import_forms.py'), editor.filesWithFindings.join(', '));
    await daemon.shutdown();
  } finally {
    daemon.dispose();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
