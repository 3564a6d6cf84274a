// A file's syntax as the analysis reads it: one tree, or, when parsing the whole file ran over its budget,
// one tree per slice of top-level statements (python-lines.ts). Every construct the analysis looks at lies
// inside one top-level statement, and the analysis only asks for the node at a text position, so both forms
// give the same findings; slices parse in time linear in the file, whatever shape defeats the whole parse.
import { parse, parserInput, syntaxErrorCount, type Grammar, type SyntaxNode, type Tree } from './parser';
import { topLevelSlices } from './python-lines';

/** How long one parse may hold a worker before the file is analysed by slices instead. */
export const PARSE_BUDGET_MS = 1000;
/** Lines per slice in the fallback: small enough to parse fast even with the quadratic shape. */
const SLICE_LINES = 400;

export class Syntax {
  /** trees: in text order, not overlapping. owned: delete() frees them (an open document keeps its own). */
  private constructor(readonly text: string, private readonly trees: Tree[], readonly sliced: boolean, private readonly owned: boolean) {}

  /** A tree the caller keeps (an open document's): release() leaves it alone. */
  static of(text: string, tree: Tree): Syntax {
    return new Syntax(text, [tree], false, false);
  }

  /** Parses a text within the budget, else by slices (Python) or to the end (other grammars: no slicer). */
  static async parse(grammar: Grammar, text: string, budgetMs = PARSE_BUDGET_MS): Promise<Syntax> {
    const input = parserInput(grammar, text);
    const whole = await parse(grammar, text, { input, budgetMs });
    if (whole) return new Syntax(text, [whole], false, true);
    if (grammar !== 'python') return new Syntax(text, [(await parse(grammar, text, { input }))!], false, true);
    return Syntax.bySlices(text, input);
  }

  private static async bySlices(text: string, input: string): Promise<Syntax> {
    const trees: Tree[] = [];
    for (const range of topLevelSlices(input, SLICE_LINES)) trees.push((await parse('python', text, { input, range }))!);
    return new Syntax(text, trees, true, true);
  }

  /** The smallest node spanning [start, end), in the tree whose slice holds `start`. */
  nodeAt(start: number, end: number): SyntaxNode | null {
    let lo = 0;
    let hi = this.trees.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.trees[mid]!.rootNode.startIndex <= start) lo = mid;
      else hi = mid - 1;
    }
    return this.trees[lo]?.rootNode.descendantForIndex(start, end) ?? null;
  }

  errorCount(): number {
    return this.trees.reduce((n, t) => n + syntaxErrorCount(t), 0);
  }

  release(): void {
    if (this.owned) this.trees.forEach((t) => t.delete());
  }
}
