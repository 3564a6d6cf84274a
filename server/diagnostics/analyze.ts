// The diagnostics engine's entry: a file's text in, its findings out. Python and TypeScript/JavaScript share
// the rule format and the tree-sitter engine; only the import forms and node names differ per language.
import type { Finding } from './finding';
import type { RuleSet } from './rules';
import { grammarOf, parse, type Tree } from './parser';
import { IncrementalDocument } from './document';

export type { Finding } from './finding';

export interface AnalyzeOptions {
  /** Workspace root: relative imports resolve from the file's path below it (default: the working directory). */
  workspaceRoot?: string;
}

/** Findings for one tree (the tree is the caller's: it is not deleted here). */
export function analyzeTree(_filePath: string, _text: string, _tree: Tree, _rules: RuleSet, _opts: AnalyzeOptions = {}): Finding[] {
  return [];
}

/** Parses and analyses a text once; files of other languages get no findings. Never throws on bad syntax. */
export async function analyzeText(filePath: string, text: string, rules: RuleSet, opts: AnalyzeOptions = {}): Promise<Finding[]> {
  const grammar = grammarOf(filePath);
  if (!grammar) return [];
  const tree = await parse(grammar, text);
  try {
    return analyzeTree(filePath, text, tree, rules, opts);
  } finally {
    tree.delete();
  }
}

/** For the language server: one per open document, re-parsing incrementally on each change. */
export class DocumentAnalyzer {
  private readonly document: IncrementalDocument | undefined;

  constructor(readonly filePath: string) {
    const grammar = grammarOf(filePath);
    this.document = grammar ? new IncrementalDocument(grammar) : undefined;
  }

  async analyze(text: string, rules: RuleSet, opts: AnalyzeOptions = {}): Promise<Finding[]> {
    if (!this.document) return [];
    return analyzeTree(this.filePath, text, await this.document.update(text), rules, opts);
  }

  dispose(): void {
    this.document?.dispose();
  }
}
