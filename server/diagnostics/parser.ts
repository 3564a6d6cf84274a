// The tree-sitter parsers: web-tree-sitter (wasm, no native build) with the grammars' wasm files from npm,
// initialised once per process and reused for every file and every keystroke.
import fs from 'node:fs';
import path from 'node:path';
// require(), not import: the bundler must take web-tree-sitter's CommonJS build (its ESM build reads import.meta.url).
import TreeSitter = require('web-tree-sitter');
import type { Grammar } from './grammars';
import { blankCommentRuns } from './python-lines';

export type Tree = TreeSitter.Tree;
export type SyntaxNode = TreeSitter.Node;

const grammarFiles: Record<Grammar, string> = {
  python: 'tree-sitter-python/tree-sitter-python.wasm',
  typescript: 'tree-sitter-typescript/tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-typescript/tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript/tree-sitter-javascript.wasm',
};

/** A wasm file copied next to the bundle (dist/) wins; otherwise the npm package's own copy. */
function locate(file: string): string {
  const beside = path.join(__dirname, path.basename(file));
  return fs.existsSync(beside) ? beside : require.resolve(file);
}

let runtime: Promise<void> | undefined;
const languages = new Map<Grammar, Promise<TreeSitter.Language>>();
const parsers = new Map<Grammar, TreeSitter.Parser>();

async function language(grammar: Grammar): Promise<TreeSitter.Language> {
  // Parser.init loads tree-sitter.wasm; locateFile points it away from the bundle's own folder.
  runtime ??= TreeSitter.Parser.init({ locateFile: () => locate('web-tree-sitter/tree-sitter.wasm') });
  await runtime;
  let loaded = languages.get(grammar);
  if (!loaded) {
    loaded = TreeSitter.Language.load(locate(grammarFiles[grammar]));
    languages.set(grammar, loaded);
  }
  return loaded;
}

/** The one parser for a grammar, created on first use (the async part: loading the wasm). */
export async function parserFor(grammar: Grammar): Promise<TreeSitter.Parser> {
  const existing = parsers.get(grammar);
  if (existing) return existing;
  const lang = await language(grammar);
  const parser = parsers.get(grammar) ?? new TreeSitter.Parser();
  parser.setLanguage(lang);
  parsers.set(grammar, parser);
  return parser;
}

/** What the parser reads for a text: Python with its long comment runs blanked (python-lines.ts), others as they are. */
export function parserInput(grammar: Grammar, text: string): string {
  return grammar === 'python' ? blankCommentRuns(text) : text;
}

export interface ParseOptions {
  /** parserInput(grammar, text), when the caller has it already. */
  input?: string;
  /** The previous tree of an edited text (already told of the edit): only what changed is re-parsed. */
  previous?: Tree;
  /** Give up after this long: parse() then returns undefined. */
  budgetMs?: number;
  /** Parse only these parts of the text, in order; nodes keep the whole text's positions. */
  ranges?: TreeSitter.Range[];
  /** Where nodes read their text once parsed (default: `text`): an open document's text as it is now. */
  textOf?: () => string;
}

/** Characters handed to the parser at least per read: it asks again where a chunk ends. */
const MIN_CHUNK = 64;

/**
 * Where the included range holding (or next after) an offset ends. Each read is copied into the parser's
 * buffer (up to 5,120 characters) and a focused parse jumps between many short ranges: handing it the rest of
 * its range, not of the text, spares copying 25 times the text.
 */
function rangeEnd(ranges: readonly TreeSitter.Range[], index: number): number {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid]!.endIndex <= index) lo = mid + 1;
    else hi = mid;
  }
  return ranges[lo]?.endIndex ?? index;
}

/**
 * Parses a text, or part of it; undefined when the budget ran out first. The parser reads parserInput(text)
 * but the tree's nodes read their text from `text` itself (the two differ only in blanked comments, never in
 * length), so node texts, and the fixes built from them, are the file's own. The caller deletes the tree.
 */
export async function parse(grammar: Grammar, text: string, options: ParseOptions = {}): Promise<Tree | undefined> {
  const parser = await parserFor(grammar);
  const input = options.input ?? parserInput(grammar, text);
  const textOf = options.textOf ?? (() => text);
  let parsing = true;
  const deadline = performance.now() + (options.budgetMs ?? Infinity);
  const ranges = options.ranges;
  // web-tree-sitter keeps the input callback as the tree's text source: once parsed, it reads the original.
  const read = (index: number): string => {
    if (!parsing) return textOf().slice(index);
    return ranges ? input.slice(index, Math.max(index + MIN_CHUNK, rangeEnd(ranges, index))) : input.slice(index);
  };
  const tree = parser.parse(read, options.previous ?? null, {
    ...(ranges ? { includedRanges: ranges } : {}),
    progressCallback: () => performance.now() > deadline,
  });
  parsing = false;
  if (tree) return tree;
  // A cancelled parse would resume on the next call: start the next one afresh.
  parser.reset();
  if (options.budgetMs !== undefined) return undefined;
  throw new Error(`tree-sitter returned no tree for a ${grammar} text`);
}

/** Counts ERROR and MISSING nodes: --fix refuses a rewrite that makes this grow. */
export function syntaxErrorCount(tree: Tree): number {
  if (!tree.rootNode.hasError) return 0;
  let count = 0;
  const cursor = tree.walk();
  let more = true;
  while (more) {
    const node = cursor.currentNode;
    if (node.isError || node.isMissing) count++;
    if (node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) { more = false; break; }
    }
  }
  cursor.delete();
  return count;
}
