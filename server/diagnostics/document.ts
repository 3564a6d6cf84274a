// An open editor document's syntax tree, kept between keystrokes: each new text is diffed against the last
// one (common prefix and suffix) and tree-sitter re-parses only around the change. The diff is taken on the
// parser's input (long comment runs blanked), the text the tree was built from. A keystroke that cannot
// change how the comment tokenizer sees the text is applied to the last input instead of tokenizing it all
// again; one inside a blanked comment line changes no syntax: the tree is only told that the text moved and
// nothing is re-parsed (a re-parse next to a long blanked run costs as much as a whole parse).
import type { Grammar } from './grammars';
import { parse, parserInput, type Tree } from './parser';
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

/** Where two texts differ: [start, oldEnd) of the old one became [start, newEnd) of the new one. */
interface Change { start: number; oldEnd: number; newEnd: number }

function difference(old: string, text: string): Change {
  let start = 0;
  const limit = Math.min(old.length, text.length);
  while (start < limit && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < limit - start && old.charCodeAt(old.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail)) tail++;
  return { start, oldEnd: old.length - tail, newEnd: text.length - tail };
}

/** The syntax of a document's text, and whether only the text of a blanked comment changed since the last one. */
export interface DocumentSyntax {
  syntax: Syntax;
  /** The edit was inside one blanked comment line: no line but that one moved, and the syntax is the same. */
  commentEdit?: { line: number };
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
  async update(text: string): Promise<DocumentSyntax> {
    const previous = this.tree;
    if (previous && text === this.text) return { syntax: Syntax.of(text, previous) };
    const local = previous && this.localEdit(text);
    if (previous && local?.commentLine !== undefined) {
      this.edit(previous, this.text, text, local.change);
      this.input = local.input;
      this.text = text;
      return { syntax: Syntax.of(text, previous), commentEdit: { line: local.commentLine } };
    }
    const input = local?.input ?? parserInput(this.grammar, text);
    if (previous) this.edit(previous, this.input, input, local?.change ?? difference(this.input, input));
    const tree = await parse(this.grammar, text, { input, previous, budgetMs: PARSE_BUDGET_MS, textOf: () => this.text });
    this.dispose();
    if (!tree) return { syntax: await Syntax.parse(this.grammar, text, 0) };
    this.tree = tree;
    this.text = text;
    this.input = input;
    return { syntax: Syntax.of(text, tree) };
  }

  /** tree.edit tells tree-sitter which bytes moved, so parse() can reuse the untouched subtrees. */
  private edit(tree: Tree, old: string, text: string, { start, oldEnd, newEnd }: Change): void {
    tree.edit({
      startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd,
      startPosition: pointAt(old, start), oldEndPosition: pointAt(old, oldEnd), newEndPosition: pointAt(text, newEnd),
    });
  }

  /**
   * The new input without tokenizing the whole text again, when the edit cannot change how the tokenizer
   * sees any line: inside one blanked comment line, after its `#` (commentLine: nothing to re-parse), or
   * inside one line of code that stays code, touching no quote, `#`, bracket, backslash or line break.
   */
  private localEdit(text: string): { input: string; change: Change; commentLine?: number } | undefined {
    const change = difference(this.text, text);
    const { start, oldEnd, newEnd } = change;
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    const found = this.text.indexOf('\n', start);
    const lineEnd = found === -1 ? this.text.length : found;
    const typed = text.slice(start, newEnd);
    if (oldEnd > lineEnd || typed.includes('\n')) return undefined;
    const splice = (middle: string): string => `${this.input.slice(0, start)}${middle}${this.input.slice(oldEnd)}`;
    const oldLine = this.text.slice(lineStart, lineEnd);
    const first = lineStart + oldLine.search(/\S|$/);
    if (this.input.slice(lineStart, lineEnd) !== oldLine) {
      // Only comment lines of a long run are blanked: after the `#`, the line stays one.
      return this.text[first] === '#' && first < start ? { input: splice(' '.repeat(typed.length)), change, commentLine: pointAt(text, start).row } : undefined;
    }
    const newLine = text.slice(lineStart, lineEnd - oldEnd + newEnd);
    const stays = (line: string): boolean => /^\s*[^\s#]/.test(line);
    const touched = `${this.text[start - 1] ?? ''}${this.text.slice(start, oldEnd + 1)}${typed}${text[newEnd] ?? ''}`;
    return stays(oldLine) && stays(newLine) && !/["'#\\()[\]{}\r]/.test(touched) ? { input: splice(typed), change } : undefined;
  }

  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
  }
}
