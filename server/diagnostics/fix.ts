// Applying quick-fix edits to a text: the CLI's --fix and tests use it; the language server sends the same
// edits to the editor as a WorkspaceEdit.
import type { Finding, Position, TextEdit } from './finding';

function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Offsets of each line start, so LSP positions (UTF-16 code units) map to string indices. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function offsetOf(starts: number[], text: string, p: Position): number {
  const lineStart = starts[p.line] ?? text.length;
  return Math.min(lineStart + p.character, text.length);
}

/** Applies edits that do not overlap (the caller's guarantee; see fixAll), in any order. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const sorted = [...edits].sort((a, b) => compare(b.range.start, a.range.start));
  let result = text;
  for (const edit of sorted) {
    const from = offsetOf(starts, text, edit.range.start);
    const to = offsetOf(starts, text, edit.range.end);
    result = result.slice(0, from) + edit.newText + result.slice(to);
  }
  return result;
}

/**
 * Every fix's edits merged into one list. An edit identical to one already taken is shared (two findings on
 * one import statement); a fix with an edit overlapping a different taken edit is dropped whole.
 */
export function fixAll(findings: readonly Finding[]): TextEdit[] {
  const taken: TextEdit[] = [];
  const same = (a: TextEdit, b: TextEdit) => a.newText === b.newText
    && compare(a.range.start, b.range.start) === 0 && compare(a.range.end, b.range.end) === 0;
  const overlaps = (e: TextEdit) => taken.some((t) => !same(e, t)
    && compare(e.range.start, t.range.end) < 0 && compare(t.range.start, e.range.end) < 0);
  for (const finding of findings) {
    const edits = finding.fix?.edits ?? [];
    if (edits.some(overlaps)) continue;
    taken.push(...edits.filter((e) => !taken.some((t) => same(e, t))));
  }
  return taken;
}
