// The focused parse (syntax.ts, python-outline.ts): only the statements holding the words the analysis looks
// for are parsed, with their enclosing headers and a placeholder in each block left empty, and the findings
// equal the whole parse's: on random nested Python, on the fixtures, and where the analysis needs a line the
// first focus left out (it widens). A file the focus cannot parse cleanly is parsed whole.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { analyzeSyntax, analyzeText } from '../../server/diagnostics/analyze';
import { parse } from '../../server/diagnostics/parser';
import { PythonOutline } from '../../server/diagnostics/python-outline';
import { loadRules } from '../../server/diagnostics/rules';
import { Syntax } from '../../server/diagnostics/syntax';
import { randomModule } from '../support/python-shapes';

const rules = loadRules();
const opts = { workspaceRoot: '/workspace' };
const FILE = '/workspace/netra_backend/app/agents/generated.py';
const WORDS = ['import', 'websocket_notifier', 'WebSocketNotifier', 'send_agent_started'];

async function wholeFindings(file: string, text: string) {
  const whole = await Syntax.parse('python', text, Number.POSITIVE_INFINITY);
  try {
    return { findings: analyzeSyntax(file, whole, rules, opts), clean: whole.errorCount() === 0 };
  } finally {
    whole.release();
  }
}

test('the outline keeps a needed line with its statement and enclosing headers, and a placeholder in each emptied block', async () => {
  const text = [
    'import os', // 0
    '', '# a comment', // 1, 2
    '@decorated', // 3
    'class A(Base):', // 4
    '    """Doc with # and', // 5
    'import inside_a_string"""', // 6
    '    def f(self,', // 7
    '          x):', // 8
    '        if x:', // 9
    '            y = compute(1,', // 10
    '                2)', // 11
    '        else:', // 12
    '            n = WebSocketNotifier(x)', // 13
    '    def g(self):', // 14
    '        return 1', // 15
  ].join('\n');
  const outline = new PythonOutline(text);
  const at = (needle: string) => outline.lineAt(text.indexOf(needle))!;
  assert.equal(outline.lineAt(text.indexOf('# a comment')), undefined);
  assert.equal(at('import inside'), at('"""Doc'), 'a string\'s lines belong to its statement');
  const kept = outline.closure([at('WebSocketNotifier')]);
  const { ranges, input } = outline.focus(kept);
  const parsed = ranges.map((r) => input.slice(r.startIndex, r.endIndex)).join('');
  assert.equal(parsed, [
    '@decorated', 'class A(Base):', '    def f(self,', '          x):', '        if x:', '            0', '        else:',
    '            n = WebSocketNotifier(x)', '',
  ].join('\n'));
  assert.equal(input.length, text.length);
  const tree = (await parse('python', text, { input, ranges }))!;
  try {
    assert.equal(tree.rootNode.hasError, false);
    const name = tree.rootNode.descendantForIndex(text.indexOf('WebSocketNotifier'))!;
    assert.equal(name.text, 'WebSocketNotifier');
    assert.deepEqual(name.startPosition, { row: 13, column: 16 });
    assert.equal(name.parent?.parent?.type, 'assignment');
  } finally {
    tree.delete();
  }
});

test('on 300 random modules the focused findings equal the whole parse\'s, and the focus parses a part of each file', async () => {
  let clean = 0;
  let withFindings = 0;
  let partial = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const text = randomModule(seed);
    const expected = await wholeFindings(FILE, text);
    assert.deepEqual(await analyzeText(FILE, text, rules, opts), expected.findings, `seed ${seed}:\n${text}`);
    if (!expected.clean) continue;
    clean++;
    if (expected.findings.length > 0) withFindings++;
    const focused = await Syntax.focused(text, WORDS);
    try {
      assert.ok(focused.focused, `seed ${seed}: a clean file parses focused, not whole:\n${text}`);
      if (focused.parsedShare < 0.8) partial++;
    } finally {
      focused.release();
    }
  }
  assert.ok(clean >= 270, `${clean} of 300 generated modules parse without errors`);
  assert.ok(withFindings >= 200, `${withFindings} clean modules have findings`);
  assert.ok(partial >= 200, `${partial} clean modules were parsed in part`);
});

test('a use the first focus left out (a copy on a line naming nothing deprecated) widens it, with the whole parse\'s findings', async () => {
  const text = [
    'from netra_backend.app.services.websocket_notifier import WebSocketNotifier',
    'def build(ws):',
    '    return WebSocketNotifier(ws)',
    'def make(ws):',
    '    n = WebSocketNotifier(ws)',
    '    for i in range(3):',
    '        copy = n',
    '        log(i)',
    '    return copy',
    'async def run(ctx, copy):',
    '    await copy.send_agent_started(ctx)',
    '',
  ].join('\n');
  let syntax = await Syntax.focused(text, WORDS);
  try {
    analyzeSyntax(FILE, syntax, rules, opts);
    assert.equal(syntax.complete, false, 'the instance `n` led the analysis to `copy = n`, which the first focus left out');
    let findings;
    do {
      syntax = await syntax.widened();
      findings = analyzeSyntax(FILE, syntax, rules, opts);
    } while (!syntax.complete);
    assert.deepEqual(findings, (await wholeFindings(FILE, text)).findings);
    assert.ok(findings.some((f) => f.code === 'deprecated-call' && f.range.start.line === 10));
  } finally {
    syntax.release();
  }
});

test('the fixtures, a syntax error outside the focus, and CRLF line ends: focused findings equal the whole parse\'s', async () => {
  const dir = path.resolve(__dirname, '../../../test/fixtures/notifier/netra_backend/app/agents');
  const cases = fs.readdirSync(dir).map((f) => [path.join('/workspace/netra_backend/app/agents', f), fs.readFileSync(path.join(dir, f), 'utf8')]);
  const broken = `${randomModule(7)}\ndef unfinished(:\n    pass\n`;
  cases.push([FILE, broken], [FILE, randomModule(8).replace(/\n/g, '\r\n')]);
  for (const [file, text] of cases) assert.deepEqual(await analyzeText(file!, text!, rules, opts), (await wholeFindings(file!, text!)).findings, file);
  const syntax = await Syntax.focused(broken, WORDS);
  try {
    assert.equal(syntax.focused, true, 'the error lies outside the focus: the focus parses cleanly');
  } finally {
    syntax.release();
  }
});
