// The pre-filter: a byte search that spares decoding and parsing the files that cannot have findings, which
// on a real tree is almost all of them. Kept light (no parser) for the thread that walks and reads.
import { rulesFor, watchedModules } from './context';
import { grammarOf, languageOf } from './grammars';
import { readScratch, type FileStamp } from './read-file';
import { methodWord, type DeprecationRule, type Language, type RuleSet } from './rules';
import { withoutExtension } from './script';

/** A word a file must hold to have findings of a rule, and (for its replacement) one of these words too. */
interface Clue { word: string; alsoOneOf?: string[] }

function cluesOf(rules: DeprecationRule[]): Clue[] {
  const clues = watchedModules(rules).map(({ rule, module, replacement }): Clue => ({
    // Every import of a module holds its last segment (a rule may write a TS/JS module with its extension).
    word: withoutExtension(module).split(/[./]/).filter((s) => s && s !== 'index').at(-1) ?? module,
    // A file that imports only the replacement can be wrong only by calling an old method.
    ...(replacement ? { alsoOneOf: rule.methods.map(methodWord) } : {}),
  }));
  // Modules often share their last segment (the default rule's three all end in websocket_notifier): each
  // distinct clue is searched once per file, not once per module.
  return [...new Map(clues.map((c) => [JSON.stringify(c), c])).values()];
}

/** Clues per language's rules (rulesFor gives the same array for a rule set and language every time). */
const clueCache = new WeakMap<DeprecationRule[], Clue[]>();

/**
 * Whether a file may import a watched module in a way that matters: a file holding none of the clue words
 * is not parsed at all. A pre-filter only; detection is the parser's.
 */
export function mayImport(text: string | Buffer, rules: RuleSet, language: Language): boolean {
  const { rules: forLanguage } = rulesFor(rules, language);
  let clues = clueCache.get(forLanguage);
  if (!clues) clueCache.set(forLanguage, clues = cluesOf(forLanguage));
  return clues.some((c) => text.includes(c.word) && (!c.alsoOneOf || c.alsoOneOf.some((w) => text.includes(w))));
}

/** The words a file must hold for each rule's modules (the focused parse starts from their statements). */
export function clueWords(rules: DeprecationRule[]): string[] {
  return cluesOf(rules).map((c) => c.word);
}

/**
 * A source file read and pre-filtered: its text when it may have findings, or why it could not be read; with
 * `stamped`, the stamp of what was read (readScratch).
 */
export interface Candidate { text?: string; unreadable?: string; stamp?: FileStamp }

export function readCandidate(file: string, rules: RuleSet, stamped = false): Candidate {
  let read: ReturnType<typeof readScratch>;
  try {
    read = readScratch(file, stamped);
  } catch (e) {
    return { unreadable: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
  const candidate: Candidate = read.stamp ? { stamp: read.stamp } : {};
  if (mayImport(read.bytes, rules, languageOf(grammarOf(file)!))) candidate.text = read.bytes.toString('utf8');
  return candidate;
}
