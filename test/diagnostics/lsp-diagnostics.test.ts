// Deprecated-notifier diagnostics over a real LSP connection: dist/daemon.js forked with --node-ipc, on a
// temporary copy of the notifier fixture. Expectations come from SPEC 6 (hard lines below) and from the
// engine itself run in-process (the language server must report exactly what the engine finds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { WorkspaceDiagnosticRequest, type Diagnostic } from 'vscode-languageserver-protocol';
import { analyzeText } from '../../server/diagnostics/analyze';
import { findingRuleId } from '../../server/diagnostics/finding';
import { walkFiles } from '../../server/diagnostics/walk';
import { editorCapabilities, messageOf, PROBE, rulesOf, uriOf, waitFor, withProbe } from './lsp-client';

const lines = (diagnostics: Diagnostic[]): number[] => [...new Set(diagnostics.map((d) => d.range.start.line))].sort((a, b) => a - b);
const key = (code: unknown, r: Diagnostic['range']): string => `${String(code)}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

async function engineKeys(file: string, text: string, workspace: string): Promise<string[]> {
  const findings = await analyzeText(file, text, rulesOf(workspace), { workspaceRoot: workspace });
  return findings.map((f) => key(findingRuleId(f), f.range)).sort();
}

test('an opened Python file gets the engine\'s findings as handshake diagnostics; comments and strings are not flagged', async () => {
  await withProbe(async ({ client, workspace, probe }) => {
    const uri = await client.open(probe);
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(lines(diagnostics), [0, 4, 5, 6]);
    assert.ok(diagnostics.every((d) => d.source === 'handshake' && typeof d.code === 'string' && d.severity !== undefined));
    assert.equal(diagnostics.find((d) => d.range.start.line === 0)?.code, 'websocket-notifier/deprecated-import');
    const noEquivalent = diagnostics.find((d) => d.range.start.line === 6);
    assert.equal(noEquivalent?.code, 'websocket-notifier/no-equivalent');
    assert.match(messageOf(noEquivalent), /partial-result/, 'the message says why there is no rewrite');
    assert.deepEqual(diagnostics.map((d) => key(d.code, d.range)).sort(), await engineKeys(probe, PROBE, workspace));
  });
});

test('an edit re-diagnoses the document as it is now', async () => {
  await withProbe(async ({ client, workspace, probe }) => {
    const uri = await client.open(probe);
    assert.ok(lines(await client.diagnostics(uri)).includes(0));
    // Comment out the import: line 0 is clean, the uses stay flagged only as far as the engine still knows them.
    await client.change(uri, '# ', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    const edited = `# ${PROBE}`;
    const afterComment = await client.diagnostics(uri);
    assert.ok(!lines(afterComment).includes(0));
    assert.deepEqual(afterComment.map((d) => key(d.code, d.range)).sort(), await engineKeys(probe, edited, workspace));
    // Replace everything with a module import under an alias: the new lines are flagged.
    const aliased = 'import netra_backend.app.agents.supervisor.websocket_notifier as wn\n\nnotifier = wn.WebSocketNotifier(None)\n';
    await client.change(uri, aliased);
    const afterAlias = await client.diagnostics(uri);
    assert.deepEqual(lines(afterAlias), [0, 2]);
    assert.deepEqual(afterAlias.map((d) => key(d.code, d.range)).sort(), await engineKeys(probe, aliased, workspace));
  });
});

test('workspace diagnostics report files that were never opened, then only what changed', async () => {
  await withProbe(async ({ client, workspace, probe }) => {
    const openUri = await client.open(probe);
    const expected = new Map<string, number>();
    for await (const file of walkFiles(workspace)) {
      const count = (await analyzeText(file, fs.readFileSync(file, 'utf8'), rulesOf(workspace), { workspaceRoot: workspace })).length;
      if (count > 0 && uriOf(file) !== openUri) expected.set(uriOf(file), count);
    }
    assert.ok(expected.size >= 3, 'the fixture has several files with findings');

    const first = await client.workspaceDiagnostics();
    const full = new Map(first.items.filter((i) => i.kind === 'full').map((i) => [i.uri, i]));
    assert.deepEqual(new Map([...full].map(([uri, i]) => [uri, i.kind === 'full' ? i.items.length : -1])), expected);
    assert.ok(!full.has(openUri), 'open documents are left to the document pull');
    assert.ok([...full.values()].every((i) => i.kind === 'full' && i.items.every((d) => d.source === 'handshake')));

    // A re-pull with nothing new is held (VS Code re-pulls every 2 s) until a file event arrives.
    const previous = first.items.map((i) => ({ uri: i.uri, value: i.resultId ?? '' }));
    const held = client.workspaceDiagnostics(previous);
    assert.equal(await Promise.race([held.then(() => 'answered'), delay(500).then(() => 'held')]), 'held');
    // The text appended below is Python, so the changed file must be a Python one.
    const changedUri = [...expected.keys()].find((uri) => uri.endsWith('.py'));
    const deletedUri = [...expected.keys()].find((uri) => uri !== changedUri);
    const changedFile = fileURLToPath(changedUri!);
    await client.fileChanged(changedFile); // touched, not changed: everything comes back unchanged
    const again = await held;
    assert.ok(again.items.length === expected.size && again.items.every((i) => i.kind === 'unchanged'));

    // One file gains a deprecated import on disk, one is deleted: only those two come back, in full.
    fs.appendFileSync(changedFile, '\n\ndef late():\n    from netra_backend.app.services.websocket_notifier import WebSocketNotifier\n    return WebSocketNotifier\n');
    fs.rmSync(fileURLToPath(deletedUri!));
    await client.fileChanged(changedFile, fileURLToPath(deletedUri!));
    const third = await client.workspaceDiagnostics(previous);
    const fresh = third.items.filter((i) => i.kind === 'full');
    assert.deepEqual(fresh.map((i) => i.uri).sort(), [changedUri, deletedUri].sort());
    const changed = fresh.find((i) => i.uri === changedUri);
    assert.ok(changed?.kind === 'full' && changed.items.length > expected.get(changedUri!)!);
    const deleted = fresh.find((i) => i.uri === deletedUri);
    assert.ok(deleted?.kind === 'full' && deleted.items.length === 0);

    // Closing the open document hands it back to the workspace pull.
    const beforeClose = third.items.map((i) => ({ uri: i.uri, value: i.resultId ?? '' })).filter((p) => p.uri !== deletedUri);
    const afterClose = client.workspaceDiagnostics(beforeClose);
    await client.close(openUri);
    const closed = (await afterClose).items.find((i) => i.uri === openUri);
    assert.ok(closed?.kind === 'full' && closed.items.length === 4, 'the closed probe is reported from disk');
  });
});

test('files that do not parse, garbage and unknown documents get answers, never a crash', async () => {
  await withProbe(async ({ client, workspace }) => {
    const broken = path.join(workspace, 'lsp_probe', 'broken.py');
    const brokenText = 'def broken(:\n    pass\nfrom netra_backend.app.services.websocket_notifier import WebSocketNotifier\n';
    const brokenDiagnostics = await client.diagnostics(await client.open(broken, brokenText));
    assert.ok(lines(brokenDiagnostics).includes(2), 'the parser recovers and the import after the error is flagged');

    const garbage = '\u0000\uffff\ud800 ((((( """ \' \n'.repeat(200) + 'x'.repeat(100_000);
    assert.ok(Array.isArray(await client.diagnostics(await client.open(path.join(workspace, 'lsp_probe', 'garbage.py'), garbage))));
    assert.ok(Array.isArray(await client.diagnostics(await client.open(path.join(workspace, 'lsp_probe', 'garbage.ts'), garbage))));
    assert.deepEqual(await client.diagnostics(await client.open(path.join(workspace, 'notes.txt'), 'WebSocketNotifier')), []);
    assert.deepEqual(await client.diagnostics(uriOf(path.join(workspace, 'never-opened.py'))), []);
    assert.deepEqual(await client.diagnostics('untitled:Untitled-1'), []);
    assert.deepEqual(lines(await client.diagnostics(await client.open('untitled:Untitled-2', PROBE, 'python'))), [0, 4, 5, 6], 'an unsaved Python buffer');

    // Still the same healthy daemon afterwards.
    const probeUri = await client.open(path.join(workspace, 'lsp_probe', 'agent.py'));
    assert.deepEqual(lines(await client.diagnostics(probeUri)), [0, 4, 5, 6]);
  });
});

test('a client that does not pull gets the diagnostics pushed, with the document version', async () => {
  const { diagnostic: _pull, ...textDocument } = editorCapabilities.textDocument!;
  await withProbe(async ({ client, probe }) => {
    const uri = await client.open(probe);
    const pushed = await waitFor(() => client.pushed.find((p) => p.uri === uri));
    assert.equal(pushed.version, 1);
    assert.deepEqual(lines(pushed.diagnostics), [0, 4, 5, 6]);
  }, { capabilities: { ...editorCapabilities, textDocument } });
});

test('TypeScript uses follow the workspace\'s own rule, with its severity and a link to the replacement', async () => {
  await withProbe(async ({ client, workspace }) => {
    const file = path.join(workspace, 'frontend', 'src', 'uses.ts');
    const diagnostics = await client.diagnostics(await client.open(file));
    assert.ok(lines(diagnostics).includes(1) && !lines(diagnostics).includes(0) && !lines(diagnostics).includes(5));
    assert.ok(diagnostics.every((d) => d.severity === 1 && d.codeDescription?.href === 'https://example.invalid/docs/agent-bridge'));
  });
});

test('a change to handshake.config.json re-pulls with the new rules; a malformed one keeps the old rules and says why', async () => {
  await withProbe(async ({ client, workspace }) => {
    const file = path.join(workspace, 'lsp_probe', 'legacy.py');
    const uri = await client.open(file, 'from legacy.notify import Notify\nfrom netra_backend.app.services.websocket_notifier import WebSocketNotifier\n');
    assert.deepEqual(lines(await client.diagnostics(uri)), [1]);

    const config = path.join(workspace, 'handshake.config.json');
    fs.writeFileSync(config, JSON.stringify({ deprecations: { useDefaults: false, rules: [{ id: 'legacy-notify', modules: ['legacy.notify'], names: ['Notify'], message: 'Notify is deprecated.' }] } }));
    await client.fileChanged(config);
    await waitFor(() => client.refreshes[0]);
    assert.deepEqual(lines(await client.diagnostics(uri)), [0]);

    fs.writeFileSync(config, '{ "deprecations": { "rules": [ ');
    await client.fileChanged(config);
    const shown = await waitFor(() => client.shown[0]);
    assert.match(shown, /handshake\.config\.json:1/);
    assert.equal(client.refreshes.length, 1, 'no re-pull for a config that did not load');
    assert.deepEqual(lines(await client.diagnostics(uri)), [0], 'the last good rules stay in force');
  });
});

test('a workspace pull with a partial-result token streams batches before the final answer', async () => {
  const many = (workspace: string, i: number): string => path.join(workspace, 'many', `m${i}.py`);
  const prepare = (workspace: string): void => {
    fs.mkdirSync(path.dirname(many(workspace, 0)));
    for (let i = 0; i < 120; i++) fs.writeFileSync(many(workspace, i), 'from netra_backend.app.services.websocket_notifier import WebSocketNotifier\n');
  };
  await withProbe(async ({ client, workspace }) => {
    const batches: string[][] = [];
    const token = 'workspace-partial';
    client.connection.onProgress(WorkspaceDiagnosticRequest.partialResult, token, (p) => { batches.push(p.items.map((i) => i.uri)); });
    const final = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [], partialResultToken: token });
    assert.ok(batches.length >= 2, `several batches (${batches.length})`);
    const all = [...batches.flat(), ...final.items.map((i) => i.uri)];
    assert.equal(new Set(all).size, all.length, 'each file once');
    for (let i = 0; i < 120; i++) assert.ok(all.includes(uriOf(many(workspace, i))));
  }, { prepare });
});

test('with no folder open there is no workspace to walk, and open files are still diagnosed', async () => {
  await withProbe(async ({ client, probe }) => {
    assert.deepEqual((await client.workspaceDiagnostics()).items, []);
    assert.deepEqual(lines(await client.diagnostics(await client.open(probe))), [0, 4, 5, 6]);
  }, { folders: null });
});
