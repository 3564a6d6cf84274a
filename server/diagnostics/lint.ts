// `handshake lint`'s engine: walk the paths, analyse each file, optionally apply the safe rewrites. One file
// at a time, in walk order, so memory stays flat on big trees. Reads are synchronous: measured on a
// 3,000-file tree, 0.9 s CPU against 1.5 s for 16 overlapping async reads (the thread-pool hops cost more
// than the overlap saves when most files are a few kilobytes and are never parsed).
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { analyzeTree, mayImport } from './analyze';
import type { Finding } from './finding';
import { applyEdits, fixAll } from './fix';
import { grammarOf, languageOf, parse, syntaxErrorCount, type Tree } from './parser';
import type { RuleSet } from './rules';
import { walkFiles } from './walk';

export interface FileReport {
  /** Path relative to the workspace root, with forward slashes (as SARIF and humans want it). */
  path: string;
  findings: Finding[];
  /** --fix: how many edits were written, or why the file's rewrite was refused. */
  fixed?: number;
  refused?: string;
  /** The file could not be read (permissions, vanished mid-walk): reported, not fatal. */
  unreadable?: string;
}

export interface LintOptions {
  workspaceRoot: string;
  fix?: boolean;
}

/**
 * Applies the safe rewrites and keeps them only if the file parses at least as well as before. `tree` is
 * the text's own, from the analysis: the original is not parsed twice.
 */
async function fixFile(file: string, text: string, tree: Tree, report: FileReport, rules: RuleSet, opts: LintOptions): Promise<FileReport> {
  const edits = fixAll(report.findings);
  if (edits.length === 0) return report;
  const grammar = grammarOf(file)!;
  const fixedText = applyEdits(text, edits);
  const after = await parse(grammar, fixedText);
  try {
    if (syntaxErrorCount(after) > syntaxErrorCount(tree)) return { ...report, refused: 'the rewritten file would not parse; left unchanged' };
    await fs.writeFile(file, fixedText);
    // The same pre-filter as the first pass: what remains is what the next `handshake lint` reports.
    const findings = mayImport(fixedText, rules, languageOf(grammar)) ? analyzeTree(file, after, rules, opts) : [];
    return { path: report.path, findings, fixed: edits.length };
  } finally {
    after.delete();
  }
}

async function lintFile(file: string, rules: RuleSet, opts: LintOptions): Promise<FileReport> {
  const rel = path.relative(opts.workspaceRoot, file).split(path.sep).join('/');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return { path: rel, findings: [], unreadable: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
  const grammar = grammarOf(file)!;
  // Most files import nothing deprecated: the byte search spares decoding and parsing them.
  if (!mayImport(bytes, rules, languageOf(grammar))) return { path: rel, findings: [] };
  const text = bytes.toString('utf8');
  const tree = await parse(grammar, text);
  try {
    const report: FileReport = { path: rel, findings: analyzeTree(file, tree, rules, opts) };
    return opts.fix ? await fixFile(file, text, tree, report, rules, opts) : report;
  } finally {
    tree.delete();
  }
}

/** Reports for every file under the paths (files with no findings included), in walk order. */
export async function* lint(paths: string[], rules: RuleSet, opts: LintOptions): AsyncGenerator<FileReport> {
  for await (const file of walkFiles(...paths)) yield await lintFile(file, rules, opts);
}
