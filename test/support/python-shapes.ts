// Random valid Python for the focused parse's tests: nested blocks of every kind (if/elif/else, try/except/
// else/finally, for/else, while, with, match/case, decorated and async definitions, classes), statements
// over several lines (brackets, backslashes, triple-quoted strings holding `#` and `import`), comments, and
// the deprecated notifier imported, aliased, copied and called anywhere in them, some through names that
// only a second look finds (a copy made on a line that names nothing deprecated).
import { random } from './python-tree';

const IMPORTS = [
  'from netra_backend.app.services.websocket_notifier import WebSocketNotifier',
  'from netra_backend.app.services.websocket_notifier import WebSocketNotifier as WSN',
  'import netra_backend.app.websocket_core.websocket_notifier as wsn',
  'from netra_backend.app.services import websocket_notifier',
  'from netra_backend.app.services.agent_websocket_bridge import AgentWebSocketBridge',
  'import os, json',
];
const BUILDS = ['WebSocketNotifier(ws)', 'WSN(ws)', 'wsn.WebSocketNotifier(ws)', 'websocket_notifier.WebSocketNotifier(ws)', 'AgentWebSocketBridge(ws)'];
const METHODS = ['send_agent_started(ctx)', 'send_agent_thinking(ctx, "hm", 2, 40)', 'send_tool_executing(ctx, "search")',
  'send_agent_completed(ctx, {}, 12)', 'send_partial_result(ctx, "half")', 'send_stream_chunk(ctx, b)', 'send_final_report(ctx)'];
const HOLDERS = ['n', 'self.notifier', 'copy', 'held'];

export function randomModule(seed: number): string {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: string[] = [];
  const line = (depth: number, text: string): void => {
    out.push(`${'    '.repeat(depth)}${text}`);
  };

  const simple = (d: number): void => {
    const i = Math.floor(rnd() * 1000);
    switch (Math.floor(rnd() * 16)) {
      case 0: line(d, `${pick(HOLDERS)} = ${pick(BUILDS)}`); break;
      case 1: line(d, `copy = ${pick(['n', 'self.notifier'])}`); break; // names nothing deprecated itself
      case 2: line(d, `held = copy`); break;
      case 3: line(d, `await ${pick(HOLDERS)}.${pick(METHODS)}`); break;
      case 4: line(d, `${pick(BUILDS)}.${pick(METHODS)}`); break;
      case 5: line(d, `result_${i} = compute(`); line(d + 1, `alpha, # a comment inside brackets: WebSocketNotifier`); line(d + 1, `beta=[1, 2,`); line(d, `    3])`); break;
      case 6: line(d, `total_${i} = first + \\`); line(d + 1, `second`); break;
      case 7: line(d, `doc_${i} = """text with # and`); out.push('import websocket_notifier  # inside the string'); out.push('WebSocketNotifier()"""'); break;
      case 8: line(d, `# ${pick(IMPORTS)}`); line(d, `# await n.${pick(METHODS)}`); break;
      case 9: line(d, `x_${i} = 1; y_${i} = ${pick(BUILDS)}`); break;
      case 10: line(d, `if ready: ${pick(HOLDERS)}.${pick(METHODS)}`); break;
      case 11: line(d, pick(IMPORTS)); break;
      case 12: line(d, `label_${i} = "WebSocketNotifier # not code"`); break;
      case 13: line(d, `${pick(HOLDERS)}.${pick(METHODS).replace('(ctx', '(\n' + '    '.repeat(d + 1) + 'ctx')}`); break;
      case 14: line(d, 'pass'); break;
      default: line(d, `logger.info("step %s", ${i})`);
    }
  };

  const block = (d: number, budget: number): void => {
    const count = 1 + Math.floor(rnd() * 4);
    for (let s = 0; s < count; s++) {
      if (d >= 4 || budget <= 0 || rnd() < 0.55) simple(d);
      else compound(d, budget - 1);
      if (rnd() < 0.15) out.push('');
    }
  };

  const compound = (d: number, budget: number): void => {
    switch (Math.floor(rnd() * 10)) {
      case 0: line(d, 'if flag:'); block(d + 1, budget); line(d, 'elif other:'); block(d + 1, budget); line(d, 'else:'); block(d + 1, budget); break;
      case 1: line(d, 'try:'); block(d + 1, budget); line(d, 'except (ValueError, KeyError) as e:'); block(d + 1, budget); line(d, 'else:'); block(d + 1, budget); line(d, 'finally:'); block(d + 1, budget); break;
      case 2: line(d, 'for item in items:'); block(d + 1, budget); line(d, 'else:'); block(d + 1, budget); break;
      case 3: line(d, 'while running:'); block(d + 1, budget); break;
      case 4: line(d, 'with open(path) as handle, lock:'); block(d + 1, budget); break;
      case 5: line(d, 'match command:'); line(d + 1, 'case {"type": "start"}:'); block(d + 2, budget); line(d + 1, 'case _:'); block(d + 2, budget); break;
      case 6: line(d, '@traced("step")'); line(d, '@staticmethod'); line(d, `async def run(ctx, n: ${pick(['WebSocketNotifier', 'WSN', 'AgentWebSocketBridge', 'int'])}):`); block(d + 1, budget); break;
      case 7: line(d, 'class Handler(Base):'); line(d + 1, '"""Handles # things."""'); line(d + 1, 'def __init__(self, ws):'); block(d + 2, budget); line(d + 1, 'def step(self,'); line(d + 3, 'ctx):'); block(d + 2, budget); break;
      case 8: line(d, 'def helper(ctx, ws):'); block(d + 1, budget); break;
      default: line(d, 'if flag:  # a trailing comment'); block(d + 1, budget);
    }
  };

  out.push('"""A generated module."""', pick(IMPORTS), pick(IMPORTS), '');
  for (let s = 0; s < 6; s++) {
    if (rnd() < 0.3) simple(0);
    else compound(0, 3);
    out.push('', '# a comment between statements', '');
  }
  return `${out.join('\n')}\n`;
}
