// An open editor document's syntax tree, kept between keystrokes: each new text is diffed against the last
// one (common prefix and suffix) and tree-sitter re-parses only around the change. The diff is taken on the
// parser's input (long comment runs blanked), the text the tree was built from. An edit inside a blanked
// comment line changes no syntax: the tree is only told that the text moved, and nothing is re-parsed (a
// re-parse next to a long blanked run costs as much as a whole parse).
import { parse, parserInput, type Grammar, type Tree } from './parser';
import { PARSE_BUDGET_MS, Syntax } from './syntax';

interface Point { row: number; column: number }

/** Row and column (UTF-16 code units, as web-tree-sitter counts) of a string index. */
function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/** Whether [from, to) lies in one line that the input blanks (a comment of a long run). */
function insideBlankedLine(text: string, input: string, from: number, to: number): boolean {
  const start = input.lastIndexOf('\n', from - 1) + 1;
  const end = input.indexOf('\n', from);
  const lineEnd = end === -1 ? input.length : end;
  return to <= lineEnd && /^[ \t\r]*$/.test(input.slice(start, lineEnd)) && text.slice(start, lineEnd).trimStart().startsWith('#');
}

export class IncrementalDocument {
  private tree: Tree | undefined;
  private text = '';
  private input = '';

  constructor(readonly grammar: Grammar) {}

  /**
   * The syntax of a new text, reusing the previous tree; valid until the next update() or dispose(). A parse
   * over budget gives a sliced syntax instead (the caller releases it) and the next update starts afresh.
   */
  async update(text: string): Promise<Syntax> {
    const previous = this.tree;
    if (previous && text === this.text) return Syntax.of(text, previous);
    const input = parserInput(this.grammar, text);
    if (previous) {
      const old = this.input;
      let start = 0;
      const limit = Math.min(old.length, input.length);
      while (start < limit && old.charCodeAt(start) === input.charCodeAt(start)) start++;
      let tail = 0;
      while (tail < limit - start && old.charCodeAt(old.length - 1 - tail) === input.charCodeAt(input.length - 1 - tail)) tail++;
      // tree.edit tells tree-sitter which bytes moved, so parse() can reuse the untouched subtrees.
      previous.edit({
        startIndex: start,
        oldEndIndex: old.length - tail,
        newEndIndex: input.length - tail,
        startPosition: pointAt(old, start),
        oldEndPosition: pointAt(old, old.length - tail),
        newEndPosition: pointAt(input, input.length - tail),
      });
      if (insideBlankedLine(this.text, old, start, old.length - tail) && insideBlankedLine(text, input, start, input.length - tail)) {
        this.text = text;
        this.input = input;
        return Syntax.of(text, previous);
      }
    }
    const tree = await parse(this.grammar, text, { input, previous, budgetMs: PARSE_BUDGET_MS, textOf: () => this.text });
    this.dispose();
    if (!tree) return Syntax.parse(this.grammar, text, 0);
    this.tree = tree;
    this.text = text;
    this.input = input;
    return Syntax.of(text, tree);
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
  }
}
