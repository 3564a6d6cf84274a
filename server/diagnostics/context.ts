// What the per-language passes share while analysing one file: the rules for its language, the findings so
// far, and helpers to turn nodes into LSP ranges and edits.
import type { Finding, FindingCode, Fix, Range, TextEdit } from './finding';
import type { Grammar } from './grammars';
import type { SyntaxNode } from './parser';
import type { DeprecationRule, Language, RuleSet } from './rules';
import type { Syntax } from './syntax';

/** A module an import statement names: one of a rule's deprecated modules, or its replacement's. */
export interface ModuleMatch {
  rule: DeprecationRule;
  module: string;
  /**
   * The replacement's module: nothing to report on the import or its names, but the old methods it lacks
   * are still called on what it builds after a fix or a hand migration, and those calls must not go unseen.
   */
  replacement: boolean;
}

/** A local name an import of a deprecated (or replacement) module binds. */
export interface Binding extends Omit<ModuleMatch, 'module'> {
  /** 'name': one of the class names the module exports (boundNames); 'module': the module object itself. */
  kind: 'name' | 'module';
  /** The identifier bound, or the dotted path for Python's unaliased `import a.b.c`. */
  local: string;
  /** The import fix leaves `local` naming the replacement (an alias was kept), so uses need no edit. */
  keepsName: boolean;
  /** The safe rewrite of the import that binds it, if it has one. Uses are only rewritten together with it,
   *  and their edits join it: applied alone it must not leave a name that no longer exists. */
  importFix: Fix | undefined;
}

/**
 * The modules the rules watch: every rule's deprecated ones first (so a module one rule deprecates is never
 * taken for another's replacement), then each replacement whose rule maps old methods (otherwise nothing
 * about the replacement can be wrong).
 */
export function watchedModules(rules: readonly DeprecationRule[]): ModuleMatch[] {
  const deprecated = rules.flatMap((rule) => rule.modules.map((module) => ({ rule, module, replacement: false })));
  const replacements = rules.flatMap((rule) => rule.replacement && rule.methods.length > 0
    ? [{ rule, module: rule.replacement.module, replacement: true }] : []);
  return [...deprecated, ...replacements];
}

/** The class names an import of the matched module can bind. */
export function boundNames({ rule, replacement }: Pick<ModuleMatch, 'rule' | 'replacement'>): string[] {
  if (!replacement) return rule.names;
  return rule.replacement ? [rule.replacement.name] : [];
}

/** What an import of the replacement binds: never reported nor rewritten, only tracked. */
export function replacementBinding(rule: DeprecationRule, kind: Binding['kind'], local: string): Binding {
  return { rule, kind, local, keepsName: true, importFix: undefined, replacement: true };
}

/** The message of a deprecated-import finding, in every language. */
export function importMessage(module: string, rule: DeprecationRule): string {
  return `Import of deprecated module ${module}. ${rule.message}`;
}

/**
 * What a deprecated import rewritten to the replacement lists (each alias kept, duplicates once), or why it
 * cannot be rewritten: it also imports names the replacement does not stand for.
 */
export function replacementImportNames(
  rule: DeprecationRule, replacementName: string, items: ReadonlyArray<{ name: string; alias?: string }>,
): string[] | string {
  const strangers = items.filter((i) => !rule.names.includes(i.name)).map((i) => i.name);
  if (strangers.length > 0) return `it also imports ${strangers.join(', ')}, which ${replacementName} does not replace`;
  return [...new Set(items.map((i) => (i.alias ? `${replacementName} as ${i.alias}` : replacementName)))];
}

/** The node names of one grammar family. */
export interface SyntaxProfile {
  identifiers: ReadonlySet<string>;
  /** Member accesses: type -> [object field, property field] (`a.b`, and TypeScript's `a.B` in types). */
  members: Readonly<Record<string, readonly [string, string]>>;
  calls: ReadonlySet<string>;
  /** Statements whose identifiers are declarations, not uses (the import statements). */
  skipped: ReadonlySet<string>;
  /** Nodes that give a name a value (assignment-like): type -> [target field, value field]. */
  assignments: Readonly<Record<string, readonly [string, string]>>;
  /** Nodes that declare a name with a type annotation: type -> the declared name's field (undefined: first identifier). */
  annotated: Readonly<Record<string, string | undefined>>;
}

/** The node types a property name (`x.name`) can have across the grammars. */
export const PROPERTY_NAMES: ReadonlySet<string> = new Set(['identifier', 'property_identifier', 'type_identifier']);

function rangeOf(node: SyntaxNode): Range {
  // web-tree-sitter counts columns in UTF-16 code units, exactly as LSP positions do.
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

export function replace(node: SyntaxNode, newText: string): TextEdit {
  return { range: rangeOf(node), newText };
}

const perLanguage = new WeakMap<RuleSet, Map<Language, { rules: DeprecationRule[]; watched: ModuleMatch[] }>>();

/** A rule set's rules for one language and the modules they watch, worked out once per rule set. */
export function rulesFor(ruleSet: RuleSet, language: Language): { rules: DeprecationRule[]; watched: ModuleMatch[] } {
  let languages = perLanguage.get(ruleSet);
  if (!languages) perLanguage.set(ruleSet, languages = new Map());
  let found = languages.get(language);
  if (!found) {
    const rules = ruleSet.rules.filter((r) => r.languages.includes(language));
    languages.set(language, found = { rules, watched: watchedModules(rules) });
  }
  return found;
}

export class FileContext {
  readonly findings: Finding[] = [];
  readonly rules: DeprecationRule[];
  /** What an import is matched against, in order. */
  readonly watched: ModuleMatch[];

  constructor(ruleSet: RuleSet, language: Language, readonly grammar: Grammar, readonly workspacePath: string | undefined) {
    ({ rules: this.rules, watched: this.watched } = rulesFor(ruleSet, language));
  }

  report(rule: DeprecationRule, code: FindingCode, node: SyntaxNode, message: string, fix: Fix | string): void {
    const { replacement } = rule;
    this.findings.push({
      ruleId: rule.id,
      code,
      message,
      severity: rule.severity,
      range: rangeOf(node),
      ...(replacement ? { replacement: `${replacement.name} from ${replacement.module}` } : {}),
      ...(replacement?.url ? { replacementUrl: replacement.url } : {}),
      ...(typeof fix === 'string' ? { noFixReason: fix } : { fix }),
    });
  }
}

const PLAIN_CHAIN = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;
/** Words that look like names but are other nodes (constants, `super`): a chain on them has no dotted text. */
const NOT_NAMES = new Set(['None', 'True', 'False', 'super', 'null', 'true', 'false']);

/** The source text of an identifier or a chain of attribute/member accesses on one (`self.notifier`), else undefined. */
export function dottedText(node: SyntaxNode): string | undefined {
  switch (node.type) {
    case 'identifier': case 'this': case 'property_identifier':
      return node.text;
    case 'attribute': case 'member_expression': {
      // Most chains are written plainly (`self.notifier`): their text is the answer, one read instead of a
      // walk over every link (each node access crosses into the parser's wasm).
      const text = node.text;
      if (PLAIN_CHAIN.test(text) && !NOT_NAMES.has(text.slice(0, text.indexOf('.')))) return text;
      const object = node.childForFieldName('object');
      const name = node.childForFieldName(node.type === 'attribute' ? 'attribute' : 'property');
      const base = object && dottedText(object);
      return base && name ? `${base}.${name.text}` : undefined;
    }
    default:
      return undefined;
  }
}

/** Whether a character continues an identifier in every grammar here: a node cannot start or end beside one. */
function identifierChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}

/**
 * Offsets where `word` occurs in the text and may be a whole token (starting one, with `prefix`): an
 * occurrence inside a longer identifier (`notifier` in `websocket_notifier`) cannot be the node asked for.
 */
function wordPlaces(text: string, word: string, prefix = false): number[] {
  const places: number[] = [];
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) {
    if (at > 0 && identifierChar(text.charCodeAt(at - 1))) continue;
    if (!prefix && identifierChar(text.charCodeAt(at + word.length))) continue;
    places.push(at);
  }
  return places;
}

/** A text's word places, each word searched once: a focused parse and the analysis ask for the same words. */
export class TextPlaces {
  private readonly found = new Map<string, number[]>();

  constructor(readonly text: string) {}

  of(word: string, prefix = false): readonly number[] {
    const key = prefix ? `${word}*` : word;
    let places = this.found.get(key);
    if (!places) this.found.set(key, places = wordPlaces(this.text, word, prefix));
    return places;
  }
}

/**
 * Nodes of the given types that sit exactly where `word` occurs in the text (ending with it, unless `prefix`).
 * The text search only proposes places; the tree decides, so a word inside a comment or string never counts.
 */
export function* wordNodes(syntax: Syntax, word: string, types: ReadonlySet<string>, prefix = false): Generator<SyntaxNode> {
  for (const at of syntax.places.of(word, prefix)) {
    const node = syntax.nodeAt(at, at + word.length);
    if (node && types.has(node.type) && node.startIndex === at && (prefix || node.endIndex === at + word.length)) yield node;
  }
}
