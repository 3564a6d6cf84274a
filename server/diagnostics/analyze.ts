// The diagnostics engine's entry: a file's text in, its findings out. Python and TypeScript/JavaScript share
// the rule format and the tree-sitter engine; only the import forms and node names differ per language.
import path from 'node:path';
import { boundNames, FileContext, rulesFor } from './context';
import { IncrementalDocument } from './document';
import type { Finding } from './finding';
import { grammarOf, languageOf } from './grammars';
import { clueWords, mayImport } from './prefilter';
import { analyzePython } from './python';
import { methodWord, type RuleSet } from './rules';
import { analyzeScript } from './script';
import { Syntax } from './syntax';

export type { Finding } from './finding';

export interface AnalyzeOptions {
  /** Workspace root: relative imports resolve from the file's path below it (default: the working directory). */
  workspaceRoot?: string;
}

function workspacePath(filePath: string, root: string | undefined): string | undefined {
  const rel = path.relative(root ?? process.cwd(), path.resolve(filePath));
  return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
}

/** Findings for one file's syntax (the syntax is the caller's: it is not released here). */
export function analyzeSyntax(filePath: string, syntax: Syntax, rules: RuleSet, opts: AnalyzeOptions = {}): Finding[] {
  const grammar = grammarOf(filePath);
  if (!grammar) return [];
  const language = languageOf(grammar);
  const ctx = new FileContext(rules, language, grammar, workspacePath(filePath, opts.workspaceRoot));
  if (ctx.rules.length === 0) return [];
  if (language === 'python') analyzePython(syntax, ctx);
  else analyzeScript(syntax, ctx);
  return ctx.findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

const focusWordsCache = new WeakMap<RuleSet, string[]>();

/** The words whose statements a focused parse starts from: the analysis asks for these first (python.ts, uses.ts). */
function focusWords(ruleSet: RuleSet): string[] {
  let cached = focusWordsCache.get(ruleSet);
  if (cached) return cached;
  const { rules, watched } = rulesFor(ruleSet, 'python');
  const words = new Set(['import', ...clueWords(rules)]);
  for (const { rule, replacement } of watched) {
    for (const name of boundNames({ rule, replacement })) words.add(name);
    for (const method of rule.methods) words.add(methodWord(method));
  }
  focusWordsCache.set(ruleSet, cached = [...words]);
  return cached;
}

/**
 * Analyses a file read once (lint, the workspace scan): Python by a focused parse, widened until the
 * analysis misses nothing; other languages parsed whole. Files of other languages get no findings. Never
 * throws on bad syntax.
 */
export async function analyzeText(filePath: string, text: string, rules: RuleSet, opts: AnalyzeOptions = {}): Promise<Finding[]> {
  const grammar = grammarOf(filePath);
  if (!grammar || !mayImport(text, rules, languageOf(grammar))) return [];
  let syntax = grammar === 'python'
    ? await Syntax.focused(text, focusWords(rules))
    : await Syntax.parse(grammar, text);
  try {
    for (;;) {
      const findings = analyzeSyntax(filePath, syntax, rules, opts);
      if (syntax.complete) return findings;
      syntax = await syntax.widened();
    }
  } finally {
    syntax.release();
  }
}

/** Whether a finding's range or one of its fix's edits covers a line. */
function spans(finding: Finding, line: number): boolean {
  return [finding.range, ...(finding.fix?.edits.map((e) => e.range) ?? [])].some((r) => r.start.line <= line && line <= r.end.line);
}

/** One per open document, re-parsing incrementally on each change (in a parse worker, for the language server). */
export class DocumentAnalyzer {
  private readonly document: IncrementalDocument | undefined;
  private last: { key: string; findings: Finding[] } | undefined;

  constructor(readonly filePath: string) {
    const grammar = grammarOf(filePath);
    this.document = grammar ? new IncrementalDocument(grammar) : undefined;
  }

  async analyze(text: string, rules: RuleSet, opts: AnalyzeOptions = {}): Promise<Finding[]> {
    if (!this.document || !mayImport(text, rules, languageOf(this.document.grammar))) return [];
    const { syntax, commentEdit } = await this.document.update(text);
    try {
      // Rules arrive as a fresh copy with each job from the language server: compared by value.
      const key = JSON.stringify([rules, opts]);
      const last = this.last;
      // Typing in a blanked comment moves no other line: the last findings stand, unless a fix's edit spans that line.
      if (commentEdit && last?.key === key && !last.findings.some((f) => spans(f, commentEdit.line))) return last.findings;
      const findings = analyzeSyntax(this.filePath, syntax, rules, opts);
      this.last = { key, findings };
      return findings;
    } finally {
      syntax.release();
    }
  }

  dispose(): void {
    this.document?.dispose();
  }
}
