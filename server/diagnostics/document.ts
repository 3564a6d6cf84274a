// An open editor document's syntax tree, kept between keystrokes: each new text is diffed against the last
// one (common prefix and suffix) and tree-sitter re-parses only around the change.
import { parserFor, type Grammar, type Tree } from './parser';

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

export class IncrementalDocument {
  private tree: Tree | undefined;
  private text = '';

  constructor(readonly grammar: Grammar) {}

  /** The tree for a new text, reusing the previous tree. Valid until the next update() or dispose(). */
  async update(text: string): Promise<Tree> {
    const parser = await parserFor(this.grammar);
    const previous = this.tree;
    if (previous && text === this.text) return previous;
    if (previous) {
      const old = this.text;
      let start = 0;
      const limit = Math.min(old.length, text.length);
      while (start < limit && old.charCodeAt(start) === text.charCodeAt(start)) start++;
      let tail = 0;
      while (tail < limit - start && old.charCodeAt(old.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail)) tail++;
      const startPosition = pointAt(old, start);
      // tree.edit tells tree-sitter which bytes moved, so parse() can reuse the untouched subtrees.
      previous.edit({
        startIndex: start,
        oldEndIndex: old.length - tail,
        newEndIndex: text.length - tail,
        startPosition,
        oldEndPosition: pointAt(old, old.length - tail),
        newEndPosition: pointAt(text, text.length - tail),
      });
    }
    const tree = parser.parse(text, previous);
    if (!tree) throw new Error(`tree-sitter returned no tree for a ${this.grammar} text`);
    previous?.delete();
    this.tree = tree;
    this.text = text;
    return tree;
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
  }
}
