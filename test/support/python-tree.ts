// Generated Python for the diagnostics at scale: service modules (some importing the deprecated notifier in
// assorted forms, many naming it in comments only), and the shape that makes tree-sitter-python quadratic
// (a port of ../shared/fixtures/comment-run.py: one statement, then a long run of commented-out code).
// The generator keeps its own list of import sites: the tests' and the benchmark's ground truth.
import fs from 'node:fs';
import path from 'node:path';

/** A small deterministic generator (mulberry32): the same tree on every run. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'widget', 'gadget', 'queue', 'token', 'frame', 'signal'];

/**
 * `lines` lines: one real statement, then commented-out code whose markers drift right, 10% blank lines.
 * control: a real statement every 40 lines, which keeps the plain parse linear.
 */
export function commentRun(lines: number, control = false): string[] {
  const rnd = random(42);
  const pick = (): string => `${WORDS[Math.floor(rnd() * WORDS.length)]}_${WORDS[Math.floor(rnd() * WORDS.length)]}`;
  const int = (n: number): number => Math.floor(rnd() * n);
  const templates = [
    () => `${pick()} = await ${pick()}.${pick()}(${pick()}, timeout=${1 + int(99)})`,
    () => `if ${pick()} > ${int(10)}:`,
    () => `assert ${pick()}.${pick()} == ${int(1000)}, 'mismatch in ${pick()}'`,
    () => `logger.info('processing ${pick()} for ${pick()}')`,
    () => `for ${pick()} in range(${1 + int(50)}):`,
  ];
  const out = ['status: int = 0'];
  let indent = 0;
  for (let i = 1; i < lines; i++) {
    if (control && i % 40 === 0) out.push('status = 1');
    else if (rnd() < 0.1) out.push('');
    else {
      const body = templates[int(templates.length)]!();
      out.push(`${' '.repeat(indent)}# DISABLED: ${body}`);
      if (body.endsWith(':')) indent = (indent + 4) % 64;
    }
  }
  return out;
}

const IMPORTS = [
  'from netra_backend.app.services.websocket_notifier import WebSocketNotifier',
  'from ..services.websocket_notifier import WebSocketNotifier',
  'from netra_backend.app.agents.supervisor.websocket_notifier import WebSocketNotifier as WebSocketNotifier',
  'import netra_backend.app.websocket_core.websocket_notifier as notifier_module',
];

/** Where the generator put a deprecated import: path relative to the tree, 0-based line. */
export interface ImportSite { path: string; line: number }

/**
 * A module of about `bytes` bytes; `form` picks a deprecated import. Without one, `mentions` says whether it
 * names the old module and class in comments, a docstring and a string anyway (as migrated code does).
 */
function moduleLines(i: number, bytes: number, form: number | undefined, mentions: boolean): { lines: string[]; importLine?: number } {
  const lines = [`"""Service module ${i}: handles agent runs."""`, 'import asyncio', 'import logging', 'from typing import Any, Optional', ''];
  let importLine: number | undefined;
  if (form !== undefined) {
    importLine = lines.length;
    lines.push(IMPORTS[form]!);
  } else if (mentions) {
    lines.push('# no longer: from netra_backend.app.services.websocket_notifier import WebSocketNotifier');
  }
  const build = form === 3 ? 'notifier_module.WebSocketNotifier(ws_manager)' : form === undefined ? 'None' : 'WebSocketNotifier(ws_manager)';
  lines.push('', 'logger = logging.getLogger(__name__)', '', '', `class Handler${i}:`, mentions ? `    """Runs step ${i}; once used websocket_notifier."""` : `    """Runs step ${i}."""`, '',
    '    def __init__(self, ws_manager: Any) -> None:', `        self.notifier = ${build}`, '        self.calls = 0', '');
  let size = lines.join('\n').length;
  for (let m = 0; size < bytes; m++) {
    const step = [`    async def step_${m}(self, context: Any, payload: Optional[dict] = None) -> dict:`,
      mentions ? `        # step ${m}: was WebSocketNotifier.send_agent_started` : `        # step ${m}: validate, compute, notify`,
      '        self.calls += 1', `        result = {"step": ${m}, "payload": payload or {}, "calls": self.calls}`,
      form !== undefined && m % 4 === 0 ? '        await self.notifier.send_agent_started(context)' : '        logger.debug("step done %s", result)',
      '        return result', ''];
    lines.push(...step);
    size += step.join('\n').length + 1;
  }
  return { lines, importLine };
}

/** The pathological file: deprecated imports above a comment run that names them too, uses below it. */
export function pathologicalModule(runLines: number): { lines: string[]; importLines: number[] } {
  const run = commentRun(runLines).map((l, n) => (n % 50 === 7 ? `# ${IMPORTS[0]}` : l));
  const lines = [IMPORTS[0]!, ...run, '', '', 'async def finish(context, ws_manager):',
    '    notifier = WebSocketNotifier(ws_manager)', '    await notifier.send_agent_completed(context, {}, 12)', ''];
  return { lines, importLines: [0] };
}

export interface TreeShape {
  files: number;
  /** Bytes per module, about. */
  bytes: number;
  /** One module in `importEvery` imports a deprecated module... */
  importEvery: number;
  /** ...and one in `mentionEvery` of the others names it in comments and strings only. */
  mentionEvery: number;
  /** Lines of the one pathological file (0: none). */
  pathologicalLines: number;
}

/** Writes the tree under root (netra_backend/app/pkg_N/module_M.py) and returns every import site. */
export function writePythonTree(root: string, shape: TreeShape): ImportSite[] {
  const sites: ImportSite[] = [];
  const write = (rel: string, lines: string[]): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), `${lines.join('\n')}\n`);
  };
  for (let i = 0; i < shape.files; i++) {
    const rel = `netra_backend/app/pkg_${Math.floor(i / 100)}/module_${i}.py`;
    const imports = i % shape.importEvery === 0;
    const form = imports ? (i / shape.importEvery) % IMPORTS.length : undefined;
    const { lines, importLine } = moduleLines(i, shape.bytes, form, imports || i % shape.mentionEvery === 1);
    write(rel, lines);
    if (importLine !== undefined) sites.push({ path: rel, line: importLine });
  }
  if (shape.pathologicalLines > 0) {
    const rel = 'netra_backend/tests/test_agent_history.py';
    const { lines, importLines } = pathologicalModule(shape.pathologicalLines);
    write(rel, lines);
    sites.push(...importLines.map((line) => ({ path: rel, line })));
  }
  return sites;
}
