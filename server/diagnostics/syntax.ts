// A file's syntax as the analysis reads it: one tree of the whole file; one tree per slice of top-level
// statements, when the whole parse ran over its budget; or, for a file read once (lint, the workspace
// scan), one tree of only the Python statements that hold the words the analysis looks for. The analysis
// only asks for the node at a text position, and every construct lies inside one statement with its
// enclosing headers, so each form gives the same findings. A focused syntax notes each line the analysis
// asked about and it left out; widened() parses those too, until nothing is missed.
import { TextPlaces } from './context';
import type { Grammar } from './grammars';
import { parse, parserInput, syntaxErrorCount, type SyntaxNode, type Tree } from './parser';
import { PythonOutline } from './python-outline';

/** How long one parse may hold a worker before the file is analysed by slices instead. */
export const PARSE_BUDGET_MS = 1000;
/** Lines per slice in the fallback: small enough to parse fast even with the quadratic shape. */
const SLICE_LINES = 400;

interface Focus {
  outline: PythonOutline;
  /** Logical lines the tree holds whole. */
  kept: Set<number>;
  /** Logical lines the analysis asked about that the tree does not hold. */
  missed: Set<number>;
}

export class Syntax {
  /** trees: in text order, not overlapping. owned: delete() frees them (an open document keeps its own). */
  readonly places: TextPlaces;

  private constructor(readonly text: string, private readonly trees: Tree[], readonly sliced: boolean,
    private readonly owned: boolean, private readonly focus?: Focus, places?: TextPlaces) {
    this.places = places ?? new TextPlaces(text);
  }

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
    const slices = new PythonOutline(text).topLevelSlices(SLICE_LINES);
    const trees: Tree[] = [];
    for (const slice of slices) trees.push((await parse('python', text, { input, ranges: [slice] }))!);
    return new Syntax(text, trees, true, true);
  }

  /**
   * Parses only the Python statements holding one of the words, and what encloses them. A focus that does
   * not parse cleanly (the file has a syntax error, or lines this outline misreads) or runs over the budget
   * gives way to the whole parse, whose findings are the reference.
   */
  static async focused(text: string, words: readonly string[], budgetMs = PARSE_BUDGET_MS): Promise<Syntax> {
    const outline = new PythonOutline(text);
    const places = new TextPlaces(text);
    const needed = new Set<number>();
    for (const word of words) {
      for (const at of places.of(word)) {
        const line = outline.lineAt(at);
        if (line !== undefined) needed.add(line);
      }
    }
    return Syntax.focusOn(outline, places, needed, budgetMs);
  }

  private static async focusOn(outline: PythonOutline, places: TextPlaces, needed: Iterable<number>, budgetMs: number): Promise<Syntax> {
    const { text } = outline;
    const kept = outline.closure(needed);
    const focus = { outline, kept, missed: new Set<number>() };
    if (kept.size === 0) return new Syntax(text, [], false, true, focus, places);
    const { ranges, input } = outline.focus(kept);
    const tree = await parse('python', text, { input, ranges, budgetMs });
    if (tree && !tree.rootNode.hasError) return new Syntax(text, [tree], false, true, focus, places);
    tree?.delete();
    return Syntax.parse('python', text, budgetMs);
  }

  /** A focused parse: its trees hold only some statements of the file. */
  get focused(): boolean {
    return this.focus !== undefined;
  }

  /** The share of the file's logical lines the trees hold (1: parsed whole). */
  get parsedShare(): number {
    return this.focus ? this.focus.kept.size / Math.max(1, this.focus.outline.logicalLines) : 1;
  }

  /** Whether the analysis read only what this syntax holds: its findings are the whole file's. */
  get complete(): boolean {
    return !this.focus || this.focus.missed.size === 0;
  }

  /** The focus with the lines the analysis missed parsed too; this syntax is released. */
  async widened(budgetMs = PARSE_BUDGET_MS): Promise<Syntax> {
    const { outline, kept, missed } = this.focus!;
    const wider = await Syntax.focusOn(outline, this.places, [...kept, ...missed], budgetMs);
    this.release();
    return wider;
  }

  /** The smallest node spanning [start, end), in the tree whose slice holds `start`. */
  nodeAt(start: number, end: number): SyntaxNode | null {
    if (this.focus) {
      const line = this.focus.outline.lineAt(start);
      // Outside every statement (a comment, a blank line) the whole tree has no node the analysis wants.
      if (line === undefined) return null;
      if (!this.focus.kept.has(line)) {
        this.focus.missed.add(line);
        return null;
      }
    }
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
    if (this.owned) this.trees.splice(0).forEach((t) => t.delete());
  }
}
