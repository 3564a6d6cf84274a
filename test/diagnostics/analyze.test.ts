// The analysis engine on the fixture tree: exact findings per file, nothing in comments/strings/docstrings,
// broken files scanned, every rewrite still parses, and the incremental document agrees with a fresh parse.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../server/config/config';
import { analyzeText, DocumentAnalyzer } from '../../server/diagnostics/analyze';
import type { Finding } from '../../server/diagnostics/finding';
import { applyEdits, fixAll } from '../../server/diagnostics/fix';
import { loadRules } from '../../server/diagnostics/rules';
import { Syntax } from '../../server/diagnostics/syntax';
import { tempTree } from '../support/temp-tree';

const root = path.resolve(__dirname, '../../../test/fixtures/notifier');
const rules = loadRules(loadConfig(root));

async function findingsOf(rel: string, text = fs.readFileSync(path.join(root, rel), 'utf8')): Promise<Finding[]> {
  return analyzeText(path.join(root, rel), text, rules, { workspaceRoot: root });
}

/** "line:code" with 1-based lines, as an editor shows them. */
const summary = (findings: Finding[]) => findings.map((f) => `${f.range.start.line + 1}:${f.code}`);

const expected: Record<string, string[]> = {
  'netra_backend/app/agents/import_forms.py': [
    '6:deprecated-import', '7:deprecated-import', '8:deprecated-import', '9:deprecated-import', '10:deprecated-import',
    '11:deprecated-import', '21:deprecated-import', '23:deprecated-name', '24:deprecated-name', '28:deprecated-name',
    '29:deprecated-name', '30:deprecated-name', '31:deprecated-name', '32:deprecated-name', '33:deprecated-name',
  ],
  'netra_backend/app/agents/calls.py': [
    '1:deprecated-import', '8:deprecated-name', '11:deprecated-call', '12:deprecated-call', '13:deprecated-call',
    '14:deprecated-call', '15:deprecated-call', '16:no-equivalent', '17:no-equivalent', '18:no-equivalent',
    '19:deprecated-call', '24:deprecated-name', '25:deprecated-name', '26:deprecated-call', '27:deprecated-call',
  ],
  // Imports only the replacement: just the old methods called on what it builds are flagged.
  'netra_backend/app/agents/half_migrated.py': ['12:deprecated-call', '13:no-equivalent', '20:no-equivalent', '21:no-equivalent'],
  'netra_backend/app/agents/broken_syntax.py': ['1:deprecated-import', '4:deprecated-name', '8:deprecated-name'],
  'netra_backend/app/agents/clean.py': [],
  'frontend/src/uses.ts': [
    '2:deprecated-import', '3:deprecated-import', '9:deprecated-name', '11:deprecated-name', '12:deprecated-name',
    '13:deprecated-call', '14:no-equivalent', '15:deprecated-call', '16:deprecated-call',
  ],
  'frontend/src/half_migrated.ts': ['8:deprecated-call', '9:no-equivalent'],
  'frontend/src/requires.js': ['2:deprecated-import', '3:deprecated-import', '4:deprecated-import', '6:deprecated-name'],
};

for (const [rel, lines] of Object.entries(expected)) {
  test(`findings in ${rel}`, async () => {
    assert.deepEqual(summary(await findingsOf(rel)), lines);
  });
}

test('comments, strings and docstrings are never flagged', async () => {
  for (const rel of Object.keys(expected)) {
    const text = fs.readFileSync(path.join(root, rel), 'utf8').split('\n');
    for (const f of await findingsOf(rel)) {
      const line = text[f.range.start.line]!;
      const before = line.slice(0, f.range.start.character);
      assert.ok(!before.includes('#') && !before.includes('//') && !before.includes('"""') && !/^\s*\/?\*/.test(line),
        `${rel}:${f.range.start.line + 1} flagged inside a comment or docstring: ${line}`);
      assert.ok(!/^\s*(LABEL|NOTE|const text) =/.test(line), `${rel}:${f.range.start.line + 1} flagged a string: ${line}`);
    }
  }
});

test('relative imports resolve from the package path; the rule of the resolved module is reported', async () => {
  const [relative] = (await findingsOf('netra_backend/app/agents/import_forms.py')).filter((f) => f.range.start.line === 10);
  assert.equal(relative?.message.includes('netra_backend.app.services.websocket_notifier'), true);
  assert.equal(relative?.fix?.edits[0]?.newText, 'from netra_backend.app.services.agent_websocket_bridge import AgentWebSocketBridge as RelativeNotifier');
});

test('call rewrites follow the method map; methods without an equivalent say why and offer none', async () => {
  const findings = await findingsOf('netra_backend/app/agents/calls.py');
  const text = fs.readFileSync(path.join(root, 'netra_backend/app/agents/calls.py'), 'utf8');
  const lineAfterFix = (line: number) => {
    const f = findings.find((x) => x.range.start.line === line - 1 && x.fix)!;
    return applyEdits(text, f.fix!.edits).split('\n')[line - 1]!.trim();
  };
  assert.equal(lineAfterFix(11), 'await self.notifier.notify_agent_started(context.run_id, context.agent_name)');
  assert.equal(lineAfterFix(12), 'await self.notifier.notify_agent_thinking(context.run_id, context.agent_name, reasoning="planning", step_number=2)');
  assert.equal(lineAfterFix(13), 'await self.notifier.notify_tool_executing(context.run_id, tool_name, agent_name=context.agent_name)');
  assert.equal(lineAfterFix(14), 'await self.notifier.notify_tool_completed(context.run_id, tool_name, result=result, agent_name=context.agent_name)');
  assert.equal(lineAfterFix(15), 'await self.notifier.notify_agent_completed(context.run_id, context.agent_name, result=result, execution_time_ms=1200)');
  for (const line of [16, 17, 18]) {
    const f = findings.find((x) => x.range.start.line === line - 1)!;
    assert.equal(f.fix, undefined);
    assert.match(f.noFixReason ?? '', /AgentWebSocketBridge/);
    assert.match(f.message, /has no equivalent/);
  }
  const unsafe = findings.find((x) => x.range.start.line === 18)!;
  assert.equal(unsafe.fix, undefined, 'a context expression evaluated twice is not rewritten');
  assert.match(unsafe.noFixReason ?? '', /more than once/);
});

test('fix all: every rewritten fixture file still parses, and only unfixable findings remain', async () => {
  for (const rel of Object.keys(expected)) {
    const file = path.join(root, rel);
    const text = fs.readFileSync(file, 'utf8');
    const findings = await findingsOf(rel);
    const fixed = applyEdits(text, fixAll(findings));
    const grammar = rel.endsWith('.py') ? 'python' : rel.endsWith('.ts') ? 'typescript' : 'javascript';
    const [before, after] = [await Syntax.parse(grammar, text), await Syntax.parse(grammar, fixed)];
    assert.ok(after.errorCount() <= before.errorCount(), `${rel} parses worse after the fixes`);
    if (before.errorCount() === 0) assert.equal(after.errorCount(), 0, `${rel} no longer parses:\n${fixed}`);
    before.release();
    after.release();
    const remaining = await findingsOf(rel, fixed);
    assert.ok(remaining.every((f) => !f.fix), `${rel}: fixable findings remain after fix all`);
    assert.ok(remaining.length <= findings.length);
    // Nothing got lost: a call left unfixed is still flagged once its receiver's class is the replacement.
    const calls = (fs: Finding[]) => summary(fs.filter((f) => f.code === 'deprecated-call' || f.code === 'no-equivalent'));
    assert.deepEqual(calls(remaining), calls(findings.filter((f) => !f.fix)), `${rel}: unfixed calls after fix all`);
    if (rel.endsWith('calls.py')) {
      assert.match(fixed, /^from netra_backend\.app\.services\.agent_websocket_bridge import AgentWebSocketBridge$/m);
      assert.deepEqual(summary(remaining), ['16:no-equivalent', '17:no-equivalent', '18:no-equivalent', '19:deprecated-call']);
      for (const f of remaining.filter((x) => x.code === 'no-equivalent')) assert.match(f.noFixReason ?? '', /^AgentWebSocketBridge has no method send_\w+: AgentWebSocketBridge /);
    }
  }
});

test('a hand-migrated file: old calls on the replacement are flagged and rewritten, its own uses are not', async () => {
  const rel = 'netra_backend/app/agents/half_migrated.py';
  const text = fs.readFileSync(path.join(root, rel), 'utf8');
  const findings = await findingsOf(rel, text);
  const started = findings.find((f) => f.code === 'deprecated-call')!;
  assert.equal(started.message, 'AgentWebSocketBridge has no method send_agent_started: use notify_agent_started.');
  assert.equal(applyEdits(text, started.fix!.edits).split('\n')[11]!.trim(), 'await self.notifier.notify_agent_started(context.run_id, context.agent_name)');
  const partial = findings.find((f) => f.code === 'no-equivalent')!;
  assert.equal(partial.fix, undefined);
  assert.match(partial.noFixReason ?? '', /^AgentWebSocketBridge has no method send_partial_result: .*notify_agent_thinking/);
  const ts = await findingsOf('frontend/src/half_migrated.ts');
  assert.match(ts.find((f) => f.code === 'no-equivalent')?.noFixReason ?? '', /^AgentBridgeClient has no method sendStreamChunk: /);
  // Without an old method name the file is not even parsed; with one, only that call is flagged.
  const plain = 'from netra_backend.app.services.agent_websocket_bridge import AgentWebSocketBridge\nb = AgentWebSocketBridge()\nb.notify_agent_started(r, a)\n';
  assert.deepEqual(await findingsOf(rel, plain), []);
  assert.deepEqual(summary(await findingsOf(rel, `${plain}b.send_agent_started(c)\n`)), ['4:deprecated-call']);
});

test('a module one rule deprecates is flagged even where another rule names it as its replacement', async () => {
  const step = (id: string, from: string, to: string) => ({ id, modules: [from], names: ['Notifier'], message: `Use ${to}.`,
    replacement: { module: to, name: 'Notifier' }, methods: [{ name: 'send', rename: 'notify', parameters: ['context'], arguments: ['{context}'] }] });
  const chain = loadRules({ raw: { deprecations: { useDefaults: false, rules: [step('v1', 'notify.v1', 'notify.v2'), step('v2', 'notify.v2', 'notify.v3')] } } });
  const findings = await analyzeText('/w/app.py', 'from notify.v2 import Notifier\nNotifier().send(c)\n', chain, { workspaceRoot: '/w' });
  assert.deepEqual(findings.map((f) => `${f.ruleId}:${f.code}`), ['v2:deprecated-import', 'v2:deprecated-name', 'v2:deprecated-call']);
});

test('the incremental document agrees with a fresh parse after edits, and bad input never throws', async () => {
  const rel = 'netra_backend/app/agents/calls.py';
  const file = path.join(root, rel);
  let text = fs.readFileSync(file, 'utf8');
  const doc = new DocumentAnalyzer(file);
  try {
    for (const edit of ['\n# edit', 'x = (', '\n\n', 'é😀 = 1\n']) {
      text = text.replace('class Agent:', `${edit}\nclass Agent:`);
      assert.deepEqual(await doc.analyze(text, rules, { workspaceRoot: root }), await findingsOf(rel, text));
    }
    assert.deepEqual(await doc.analyze('\u0000\uffff)))(((', rules), []);
    assert.ok(Array.isArray(await findingsOf(rel, 'from netra_backend.app.services.websocket_notifier import (\n\u0000')));
  } finally {
    doc.dispose();
  }
});

test('the import quick fix applied alone renames the uses too, and what it leaves is still flagged', async () => {
  const rel = 'netra_backend/app/agents/import_only.py';
  const text = [
    'from netra_backend.app.services.websocket_notifier import WebSocketNotifier',
    '',
    'async def start(ws_manager, context):',
    '    notifier = WebSocketNotifier(ws_manager)',
    '    await notifier.send_agent_started(context)',
    '',
  ].join('\n');
  const importFinding = (await findingsOf(rel, text)).find((f) => f.code === 'deprecated-import');
  assert.ok(importFinding?.fix, 'the import has a fix');
  const fixed = applyEdits(text, importFinding.fix.edits);
  assert.match(fixed, /^from netra_backend\.app\.services\.agent_websocket_bridge import AgentWebSocketBridge$/m);
  assert.match(fixed, /notifier = AgentWebSocketBridge\(ws_manager\)/, 'no dangling WebSocketNotifier');
  assert.ok(!fixed.includes('WebSocketNotifier'));
  const remaining = await findingsOf(rel, fixed);
  assert.deepEqual(summary(remaining), ['5:deprecated-call'], 'the old call on the bridge is still reported');
  assert.equal(applyEdits(fixed, remaining[0]!.fix!.edits).split('\n')[4], '    await notifier.notify_agent_started(context.run_id, context.agent_name)');
});

test('a TS/JS rule module written with its extension still lets files that import it through the pre-filter', async () => {
  const workspace = tempTree({
    'handshake.config.json': JSON.stringify({ deprecations: { rules: [{ id: 'legacy', languages: ['typescript'], modules: ['src/legacy/notifier.ts'],
      names: ['Notifier'], message: 'Use the bridge.' }] } }),
  });
  try {
    const legacy = loadRules(loadConfig(workspace, {}));
    const text = "import { Notifier } from './legacy/notifier';\nexport const n = new Notifier();\n";
    const findings = await analyzeText(path.join(workspace, 'src/app.ts'), text, legacy, { workspaceRoot: workspace });
    assert.deepEqual(summary(findings), ['1:deprecated-import', '2:deprecated-name']);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
