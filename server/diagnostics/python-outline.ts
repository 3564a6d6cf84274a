// Python's statements as lines and indentation show them, without a parser: each logical line (a statement's
// line with its continuation lines), the block it sits in, and the statement it belongs to (decorators and
// `else:`/`except:` clauses belong to one statement). Enough to parse only some statements of a file: a kept
// line brings its statement's other headers and every enclosing header, and a block left with nothing kept
// gets a one-character placeholder, so the parser reads valid Python whose nodes sit at the file's positions.
import { firstCode, lines } from './python-lines';

/** A part of a text as tree-sitter's included ranges take it. */
export interface Slice {
  startIndex: number;
  endIndex: number;
  startPosition: { row: number; column: number };
  endPosition: { row: number; column: number };
}

interface LogicalLine {
  /** Offset of its first physical line (indentation included). */
  start: number;
  /** Offset of its last physical line's end: that line's '\n', or the text's length. */
  end: number;
  /** Offset of its first character after the indentation. */
  code: number;
  /** Rows of its first and last physical line. */
  row: number;
  endRow: number;
  /** Columns of indentation, tabs to the next multiple of 8 as Python counts them. */
  indent: number;
  /** The line whose block holds it (-1: top level). */
  parent: number;
  /** The first line of the statement it belongs to (its first decorator, or the `if` of an `else:`). */
  head: number;
  /** Its block's first line, when it opens one (-1: none). */
  firstChild: number;
}

/** Clauses that continue the statement above them at the same indentation. */
const CLAUSE = /(?:else|elif|except|finally)\b/y;

function columns(text: string, from: number, to: number): number {
  let column = 0;
  for (let i = from; i < to; i++) column = text[i] === '\t' ? (column - (column % 8)) + 8 : column + 1;
  return column;
}

/** Where the parser reads, and what: the ranges to include, and the text with its placeholders written in. */
export interface Focus { ranges: Slice[]; input: string }

export class PythonOutline {
  private readonly lines: LogicalLine[] = [];
  /** Members of each statement, by its head. */
  private readonly statements = new Map<number, number[]>();
  /** Offset of each physical line's first character. */
  private readonly rowStarts: number[] = [];

  constructor(readonly text: string) {
    const open: number[] = []; // lines whose blocks may still continue, innermost last
    let current: LogicalLine | undefined;
    let previousSibling = -1;
    let row = -1;
    for (const physical of lines(text)) {
      row++;
      this.rowStarts.push(physical.start);
      if (!physical.statementStart) {
        if (current) [current.end, current.endRow] = [physical.end, row];
        continue;
      }
      const code = firstCode(text, physical);
      const blank = code === physical.end || (text[code] === '\r' && code + 1 === physical.end);
      current = undefined;
      if (blank || text[code] === '#') continue; // comments and blank lines belong to no statement
      const indent = columns(text, physical.start, code);
      while (open.length > 0 && this.lines[open.at(-1)!]!.indent >= indent) previousSibling = open.pop()!;
      const parent = open.at(-1) ?? -1;
      const index = this.lines.length;
      if (parent !== -1 && this.lines[parent]!.firstChild === -1) {
        this.lines[parent]!.firstChild = index;
        previousSibling = -1;
      }
      const sibling = previousSibling === -1 ? undefined : this.lines[previousSibling];
      CLAUSE.lastIndex = code;
      const joinsSibling = sibling && sibling.parent === parent && (text[sibling.code] === '@' || CLAUSE.test(text));
      const head = joinsSibling ? sibling.head : index;
      current = { start: physical.start, end: physical.end, code, row, endRow: row, indent, parent, head, firstChild: -1 };
      this.lines.push(current);
      const members = this.statements.get(head);
      if (members) members.push(index);
      else this.statements.set(head, [index]);
      open.push(index);
      previousSibling = index;
    }
  }

  get logicalLines(): number {
    return this.lines.length;
  }

  /** The logical line holding an offset; undefined in a comment, a blank line or indentation before code. */
  lineAt(offset: number): number | undefined {
    let lo = 0;
    let hi = this.lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lines[mid]!.start <= offset) lo = mid;
      else hi = mid - 1;
    }
    const line = this.lines[lo];
    return line && line.code <= offset && offset <= line.end ? lo : undefined;
  }

  /**
   * Cuts the text into slices of whole top-level statements (a decorated definition from its first decorator),
   * each `sliceLines` lines or more, covering the text. Any construct lies inside one top-level statement, so
   * each slice parses on its own.
   */
  topLevelSlices(sliceLines: number): Slice[] {
    const cuts = [0];
    let fromRow = 0;
    this.lines.forEach((line, index) => {
      if (line.parent !== -1 || line.head !== index || line.row - fromRow < sliceLines || line.start <= cuts.at(-1)!) return;
      cuts.push(line.start);
      fromRow = line.row;
    });
    cuts.push(this.text.length);
    return cuts.slice(1).map((end, i) => ({
      startIndex: cuts[i]!, endIndex: end, startPosition: this.position(cuts[i]!), endPosition: this.position(end),
    }));
  }

  /**
   * The lines to parse for `needed` to parse as in the whole file: each needed line, every line of its
   * statement and of each enclosing statement. The set it returns is what the focus below reads whole.
   */
  closure(needed: Iterable<number>): Set<number> {
    const kept = new Set<number>();
    for (let line of needed) {
      while (line !== -1 && !kept.has(line)) {
        const members = this.statements.get(this.lines[line]!.head)!;
        for (const m of members) kept.add(m);
        line = this.lines[line]!.parent;
      }
    }
    return kept;
  }

  /** The ranges that parse the kept lines, with a placeholder `0` statement in each block they leave empty. */
  focus(kept: ReadonlySet<number>): Focus {
    const ranges: Slice[] = [];
    const add = (startIndex: number, endIndex: number): void => {
      const last = ranges.at(-1);
      if (last?.endIndex === startIndex) Object.assign(last, { endIndex, endPosition: this.position(endIndex) });
      else ranges.push({ startIndex, endIndex, startPosition: this.position(startIndex), endPosition: this.position(endIndex) });
    };
    const withKeptChild = new Set([...kept].map((i) => this.lines[i]!.parent));
    const placeholders: number[] = [];
    for (const index of [...kept].sort((a, b) => a - b)) {
      const line = this.lines[index]!;
      add(line.start, Math.min(line.end + 1, this.text.length));
      if (line.firstChild === -1 || withKeptChild.has(index)) continue;
      // The block keeps nothing: its first statement's first character becomes `0`, then that line's newline.
      const child = this.lines[line.firstChild]!;
      placeholders.push(child.code);
      add(child.start, child.code + 1);
      const newline = this.text.indexOf('\n', child.code);
      if (newline !== -1) add(newline, newline + 1);
    }
    const parts: string[] = [];
    let copied = 0;
    for (const at of placeholders) {
      parts.push(this.text.slice(copied, at), '0');
      copied = at + 1;
    }
    parts.push(this.text.slice(copied));
    return { ranges, input: parts.join('') };
  }

  /** Row and column (UTF-16 units, as web-tree-sitter counts them) of an offset. */
  private position(offset: number): { row: number; column: number } {
    let lo = 0;
    let hi = this.rowStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.rowStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: offset - this.rowStarts[lo]! };
  }
}
