// Python's lines as a tokenizer that knows only strings, comments, brackets and backslash continuations sees
// them: enough to blank comment runs before parsing and to find statements without a parser (python-outline.ts).
// Why blank them: after a statement, tree-sitter-python 0.25's scanner re-reads a whole run of comment lines
// once per comment line (quadratic: 4,000 such lines take seconds). Blanked to spaces, the run is whitespace
// the lexer skips once; every offset, line and column stays where it was, and comments carry no findings.
// Only long runs: a blanked line slows the incremental re-parse of an edit next to it, and a short run costs
// little (C comment lines cost about C x the run's bytes).

export interface Line {
  start: number;
  /** Index of the line's '\n' (or the text's length). */
  end: number;
  /** The line starts inside a (triple-quoted) string. */
  inString: boolean;
  /** The line starts in code: not inside a string, brackets or a backslash continuation. */
  statementStart: boolean;
}

/** What can change the tokenizer's state, in code and inside each kind of string. */
const IN_CODE = /["'#\\()[\]{}\n]/g;
const IN_STRING: Record<string, RegExp> = { '"': /["\\\n]/g, "'": /['\\\n]/g };

export function lines(text: string): Line[] {
  const result: Line[] = [];
  let quote = ''; // the open string's delimiter: ', ", ''' or """
  let depth = 0;
  let continued = false;
  let start = 0;
  let inString = false;
  let statementStart = true;
  const endLine = (end: number): void => {
    result.push({ start, end, inString, statementStart });
    start = end + 1;
    inString = quote !== '';
    statementStart = !inString && depth === 0 && !continued;
    continued = false;
  };
  for (let i = 0; i < text.length; i++) {
    const pattern = quote ? IN_STRING[quote[0]!]! : IN_CODE;
    pattern.lastIndex = i;
    if (!pattern.test(text)) break;
    i = pattern.lastIndex - 1;
    const c = text[i]!;
    if (c === '\n') {
      if (quote.length === 1) quote = ''; // an unterminated one-line string ends with its line, as for Python
      endLine(i);
    } else if (c === '\\') {
      if (text[i + 1] === '\r') i++;
      if (text[i + 1] !== '\n') i++; // an escaped character (even a quote) never ends the string
      else if (!quote) continued = true;
    } else if (quote) {
      if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = '';
      }
    } else if (c === '#') {
      const eol = text.indexOf('\n', i);
      i = (eol === -1 ? text.length : eol) - 1;
    } else if (c === '"' || c === "'") {
      quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length - 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else depth = Math.max(0, depth - 1);
  }
  result.push({ start, end: text.length, inString, statementStart });
  return result;
}

/** Index of a line's first character that is not indentation. */
export function firstCode(text: string, line: Line): number {
  let i = line.start;
  while (i < line.end && (text[i] === ' ' || text[i] === '\t' || text[i] === '\f')) i++;
  return i;
}

/** Comment lines in a row (blank lines between them included) from which a run is blanked. */
export const COMMENT_RUN = 20;

/**
 * The text with every comment line of a long run (lines holding only a comment, outside strings) blanked
 * to spaces, inside brackets too. A line that starts inside a string is string content and stays as it is.
 */
export function blankCommentRuns(text: string): string {
  if (!text.includes('#')) return text;
  const parts: string[] = [];
  let copied = 0;
  let run: Array<[number, number]> = [];
  const flush = (): void => {
    if (run.length >= COMMENT_RUN) {
      for (const [hash, end] of run) {
        parts.push(text.slice(copied, hash), ' '.repeat(end - hash));
        copied = end;
      }
    }
    run = [];
  };
  for (const line of lines(text)) {
    const first = firstCode(text, line);
    if (line.inString || first === line.end || (text[first] === '\r' && first + 1 === line.end)) continue;
    if (text[first] === '#') run.push([first, text[line.end - 1] === '\r' ? line.end - 1 : line.end]);
    else flush();
  }
  flush();
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}
