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
import { parse, syntaxErrorCount } from '../../server/diagnostics/parser';
import { loadRules } from '../../server/diagnostics/rules';

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
  'netra_backend/app/agents/broken_syntax.py': ['1:deprecated-import', '4:deprecated-name', '8:deprecated-name'],
  'netra_backend/app/agents/clean.py': [],
  'frontend/src/uses.ts': [
    '2:deprecated-import', '3:deprecated-import', '9:deprecated-name', '11:deprecated-name', '12:deprecated-name',
    '13:deprecated-call', '14:no-equivalent', '15:deprecated-call', '16:deprecated-call',
  ],
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
    const [before, after] = [await parse(grammar, text), await parse(grammar, fixed)];
    assert.ok(syntaxErrorCount(after) <= syntaxErrorCount(before), `${rel} parses worse after the fixes`);
    if (syntaxErrorCount(before) === 0) assert.equal(after.rootNode.hasError, false, `${rel} no longer parses:\n${fixed}`);
    before.delete();
    after.delete();
    const remaining = await findingsOf(rel, fixed);
    assert.ok(remaining.every((f) => !f.fix), `${rel}: fixable findings remain after fix all`);
    assert.ok(remaining.length <= findings.length);
  }
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
