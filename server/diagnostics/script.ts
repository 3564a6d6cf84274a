// TypeScript and JavaScript: the same rules and engine as Python. Imports (`import ... from`, `import x =
// require()`, `require()`, `import()`, `export ... from`) of a configured module, by specifier or by a
// relative path that resolves to it; then the uses of what they bind. Imports of a rule's replacement are
// not reported, only bound (uses.ts reports the old methods called on what they build).
import path from 'node:path';
import {
  boundNames, importMessage, replace, replacementImportNames, wordNodes,
  type Binding, type FileContext, type ModuleMatch, type SyntaxProfile,
} from './context';
import type { Fix } from './finding';
import type { SyntaxNode } from './parser';
import type { DeprecationRule } from './rules';
import type { Syntax } from './syntax';
import { reportUses } from './uses';

const SCRIPT: SyntaxProfile = {
  identifiers: new Set(['identifier', 'type_identifier', 'shorthand_property_identifier']),
  members: { member_expression: ['object', 'property'], nested_type_identifier: ['module', 'name'] },
  calls: new Set(['call_expression']),
  skipped: new Set(['import_statement']),
  assignments: { assignment_expression: ['left', 'right'], variable_declarator: ['name', 'value'], public_field_definition: ['name', 'value'] },
  annotated: { required_parameter: 'pattern', optional_parameter: 'pattern', public_field_definition: 'name' },
};

/** An import-like construct: the statement or call, its module specifier string, and what kind it is. */
interface ImportSite { statement: SyntaxNode; source: SyntaxNode; kind: 'import' | 'export' | 'call' }

const IMPORT_WORDS = new Set(['import', 'require', 'export']);
const STRINGS = new Set(['string']);

function firstStringArgument(call: SyntaxNode): SyntaxNode | undefined {
  const first = call.childForFieldName('arguments')?.namedChildren[0];
  return first && STRINGS.has(first.type) ? first : undefined;
}

/**
 * `import ... from 's'`, `import x = require('s')`, `export ... from 's'`, `require('s')`, `import('s')`:
 * found from their keywords (or the `require` identifier), confirmed by the tree.
 */
function* importSites(syntax: Syntax): Generator<ImportSite> {
  for (const word of IMPORT_WORDS) {
    for (const found of wordNodes(syntax, word, new Set([word, 'identifier']))) {
      // `import(...)`: the keyword token sits inside a named `import` node.
      const node = found.parent?.type === found.type ? found.parent : found;
      const parent = node.parent;
      if (!parent) continue;
      if (word !== 'require' && (parent.type === 'import_statement' || parent.type === 'export_statement')) {
        const clause = parent.namedChildren.find((c) => c?.type === 'import_require_clause');
        const source = (clause ?? parent).childForFieldName('source');
        if (source) yield { statement: parent, source, kind: parent.type === 'export_statement' ? 'export' : 'import' };
      } else if (word !== 'export' && parent.type === 'call_expression' && parent.childForFieldName('function')?.id === node.id) {
        const source = firstStringArgument(parent);
        if (source) yield { statement: parent, source, kind: 'call' };
      }
    }
  }
}

const EXTENSION = /\.(d\.)?[cm]?[jt]sx?$/;

/** A TS/JS module path as imports write it: no extension, no trailing /index. */
export function withoutExtension(p: string): string {
  return p.replace(EXTENSION, '').replace(/\/index$/, '');
}

function matchRule(ctx: FileContext, specifier: string): ModuleMatch | undefined {
  const resolved = specifier.startsWith('.') && ctx.workspacePath
    ? withoutExtension(path.posix.join(path.posix.dirname(ctx.workspacePath), specifier)) : undefined;
  return ctx.watched.find(({ module: m }) => m === specifier || withoutExtension(m) === resolved);
}

/** What an import statement binds: default and namespace imports name the module, named imports the names. */
function importBindings(statement: SyntaxNode, match: ModuleMatch, importFix: Fix | undefined, declarations: Set<number>): Binding[] {
  const { rule, replacement } = match;
  const names = boundNames(match);
  const bindings: Binding[] = [];
  const bind = (node: SyntaxNode, kind: 'name' | 'module', keepsName: boolean) => {
    declarations.add(node.id);
    bindings.push({ rule, kind: kind === 'module' && names.includes(node.text) ? 'name' : kind, local: node.text, keepsName, importFix, replacement });
  };
  const clause = statement.namedChildren.find((c) => c?.type === 'import_clause' || c?.type === 'import_require_clause');
  for (const child of clause?.namedChildren ?? []) {
    if (!child) continue;
    if (child.type === 'identifier') bind(child, 'module', false);
    else if (child.type === 'namespace_import') child.namedChildren.forEach((n) => n && bind(n, 'module', true));
    else if (child.type === 'named_imports') {
      for (const spec of child.namedChildren) {
        const name = spec?.childForFieldName('name');
        const alias = spec?.childForFieldName('alias');
        if (name && names.includes(name.text)) bind(alias ?? name, 'name', alias !== null);
      }
    }
  }
  return bindings;
}

/** `import { Name } from 'old'` -> `import { Replacement } from 'new'`, when every imported name has one. */
function importFix(statement: SyntaxNode, rule: DeprecationRule): Fix | string {
  const r = rule.replacement;
  if (!r) return 'the rule names no replacement';
  const clause = statement.namedChildren.find((c) => c?.type === 'import_clause');
  const named = clause?.namedChildren.length === 1 ? clause.namedChildren[0] : undefined;
  if (named?.type !== 'named_imports') return 'only named imports ({ ... }) are rewritten automatically';
  const specs = named.namedChildren.filter((s): s is SyntaxNode => s?.type === 'import_specifier');
  const names = replacementImportNames(rule, r.name,
    specs.map((s) => ({ name: s.childForFieldName('name')?.text ?? '', alias: s.childForFieldName('alias')?.text })));
  if (typeof names === 'string') return names;
  const typeOnly = statement.children.some((c) => c?.type === 'type');
  const semicolon = statement.text.endsWith(';') ? ';' : '';
  const text = `import ${typeOnly ? 'type ' : ''}{ ${names.join(', ')} } from '${r.module}'${semicolon}`;
  return { title: `Import ${r.name} from ${r.module}`, edits: [replace(statement, text)] };
}

/** `const x = require('old')` and `const { Name } = require('old')`: what the declaration binds. */
function requireBindings(call: SyntaxNode, match: ModuleMatch, declarations: Set<number>): Binding[] {
  const declarator = call.parent?.type === 'variable_declarator' ? call.parent : undefined;
  const target = declarator?.childForFieldName('name');
  if (!target) return [];
  const { rule, replacement } = match;
  const names = boundNames(match);
  const binding = (node: SyntaxNode, kind: 'name' | 'module'): Binding => {
    declarations.add(node.id);
    return { rule, kind, local: node.text, keepsName: false, importFix: undefined, replacement };
  };
  if (target.type === 'identifier') return [binding(target, names.includes(target.text) ? 'name' : 'module')];
  if (target.type !== 'object_pattern') return [];
  return target.namedChildren.flatMap((entry) => {
    if (entry?.type === 'shorthand_property_identifier_pattern' && names.includes(entry.text)) return [binding(entry, 'name')];
    const key = entry?.type === 'pair_pattern' ? entry.childForFieldName('key') : null;
    const value = entry?.childForFieldName('value');
    return key && value?.type === 'identifier' && names.includes(key.text) ? [binding(value, 'name')] : [];
  });
}

export function analyzeScript(syntax: Syntax, ctx: FileContext): void {
  const bindings: Binding[] = [];
  const declarations = new Set<number>();
  for (const { statement, source, kind } of importSites(syntax)) {
    const specifier = source.text.slice(1, -1);
    const match = matchRule(ctx, specifier);
    if (!match) continue;
    let fixOfImport: Fix | undefined;
    if (!match.replacement) {
      const { rule } = match;
      const fix: Fix | string = kind === 'import' ? importFix(statement, rule)
        : `rewrite this ${kind === 'export' ? 're-export' : 'require or dynamic import'} by hand`;
      ctx.report(rule, 'deprecated-import', source, importMessage(specifier, rule), fix);
      fixOfImport = typeof fix === 'string' ? undefined : fix;
    }
    if (kind === 'import') bindings.push(...importBindings(statement, match, fixOfImport, declarations));
    else if (kind === 'call') bindings.push(...requireBindings(statement, match, declarations));
    // A re-export's names belong to the module it names, not to this file's bindings.
    else statement.descendantsOfType('identifier').forEach((n) => n && declarations.add(n.id));
  }
  reportUses(syntax, ctx, SCRIPT, bindings, declarations);
}
