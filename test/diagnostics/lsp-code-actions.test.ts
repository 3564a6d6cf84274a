// Quick fixes over a real LSP connection: every code action comes back as a WorkspaceEdit that, applied to
// the text, gives the rewrite SPEC 6 asks for, leaves no finding on the fixed lines and still parses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { analyzeText } from '../../server/diagnostics/analyze';
import { applyEdits, fixAll } from '../../server/diagnostics/fix';
import { Syntax } from '../../server/diagnostics/syntax';
import { editorCapabilities, editsFor, LspClient, messageOf, PROBE, rulesOf, withProbe } from './lsp-client';

const lineOf = (text: string, line: number): string => text.split('\n')[line] ?? '';

async function parsesCleanly(text: string): Promise<boolean> {
  const syntax = await Syntax.parse('python', text);
  try {
    return syntax.errorCount() === 0;
  } finally {
    syntax.release();
  }
}

/** Opens the probe and asks for the code actions on one line's diagnostics. */
async function actionsOnLine(client: LspClient, uri: string, line: number): Promise<{ diagnostic: Diagnostic; actions: CodeAction[] }> {
  const diagnostic = (await client.diagnostics(uri)).find((d) => d.range.start.line === line);
  assert.ok(diagnostic, `a diagnostic on line ${line}`);
  return { diagnostic, actions: await client.codeActions(uri, diagnostic.range, [diagnostic]) };
}

test('quick fixes rewrite the import and the send_ call per the method map; the result parses and is clean there', async () => {
  await withProbe(async ({ client, workspace, probe }) => {
    const uri = await client.open(probe);

    const onImport = await actionsOnLine(client, uri, 0);
    const importFix = onImport.actions.find((a) => a.kind === 'quickfix' && a.edit);
    assert.ok(importFix, 'a quick fix for the import');
    assert.deepEqual(importFix.diagnostics, [onImport.diagnostic]);
    const importFixed = applyEdits(PROBE, editsFor(importFix, uri));
    assert.match(lineOf(importFixed, 0), /^from netra_backend\.app\.services\.agent_websocket_bridge import AgentWebSocketBridge\b/);
    assert.ok(await parsesCleanly(importFixed));
    const remaining = await analyzeText(probe, importFixed, rulesOf(workspace), { workspaceRoot: workspace });
    assert.ok(!remaining.some((f) => f.range.start.line === 0), 'no finding left on the import line');

    const onCall = await actionsOnLine(client, uri, 5);
    const callFix = onCall.actions.find((a) => a.kind === 'quickfix' && a.edit && a.isPreferred);
    assert.ok(callFix, 'a quick fix for send_agent_started');
    const callFixed = applyEdits(PROBE, editsFor(callFix, uri));
    assert.equal(lineOf(callFixed, 5), '    await notifier.notify_agent_started(context.run_id, context.agent_name)');
    assert.ok(await parsesCleanly(callFixed));

    // The fix applied through the editor (didChange) leaves the document without that diagnostic.
    await client.change(uri, callFixed);
    assert.ok(!(await client.diagnostics(uri)).some((d) => d.range.start.line === 5 && d.code === onCall.diagnostic.code));
  });
});

test('a method without an equivalent gets no edit, only a disabled action and a message that say why', async () => {
  await withProbe(async ({ client, workspace, probe }) => {
    const uri = await client.open(probe);
    const { diagnostic, actions } = await actionsOnLine(client, uri, 6);
    assert.equal(diagnostic.code, 'websocket-notifier/no-equivalent');
    const own = actions.filter((a) => a.diagnostics?.some((d) => d.range.start.line === 6));
    assert.ok(own.length > 0 && own.every((a) => !a.edit), 'no automatic rewrite');
    const reason = own.find((a) => a.disabled)?.disabled?.reason ?? '';
    assert.match(reason, /partial-result/);
    assert.ok(messageOf(diagnostic).includes(reason) || /partial-result/.test(messageOf(diagnostic)));

    // An editor that cannot show disabled actions gets none; the diagnostic's message still says why.
    const { codeAction: _actions, ...rest } = editorCapabilities.textDocument!;
    const plain = await LspClient.start(workspace, { ...editorCapabilities, textDocument: { ...rest, codeAction: {} } });
    try {
      const plainUri = await plain.open(probe);
      assert.deepEqual((await actionsOnLine(plain, plainUri, 6)).actions.filter((a) => a.diagnostics?.length), []);
    } finally {
      await plain.stop();
    }
  });
});

test('fix all in file: one source.fixAll.handshake edit, the same as the CLI\'s, leaving only what has no rewrite', async () => {
  await withProbe(async ({ client, workspace, probe }) => {
    const uri = await client.open(probe);
    await client.diagnostics(uri);
    const actions = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll']);
    assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.handshake']);
    const fixed = applyEdits(PROBE, editsFor(actions[0]!, uri));
    const findings = await analyzeText(probe, PROBE, rulesOf(workspace), { workspaceRoot: workspace });
    assert.equal(fixed, applyEdits(PROBE, fixAll(findings)), 'the editor and `handshake lint --fix` agree');
    assert.ok(await parsesCleanly(fixed));
    const left = await analyzeText(probe, fixed, rulesOf(workspace), { workspaceRoot: workspace });
    assert.ok(left.every((f) => !f.fix), 'nothing fixable is left');

    // documentChanges carry the version the edit was computed for.
    const documentChange = actions[0]!.edit?.documentChanges?.[0];
    assert.ok(documentChange && 'textDocument' in documentChange && documentChange.textDocument.version === 1);
  });
});

test('an editor without documentChanges support gets the same edits as `changes`', async () => {
  await withProbe(async ({ client, probe }) => {
    const uri = await client.open(probe);
    const { actions } = await actionsOnLine(client, uri, 0);
    const fix = actions.find((a) => a.kind === 'quickfix' && a.edit);
    assert.ok(fix?.edit?.changes?.[uri]?.length && !fix.edit.documentChanges);
  }, { capabilities: { ...editorCapabilities, workspace: { ...editorCapabilities.workspace, workspaceEdit: {} } } });
});
