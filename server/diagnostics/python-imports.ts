// Python imports of deprecated modules, in every form: `import a.b [as m]`, `from a.b import X [as Y]`,
// `from a import b` (b the module), relative imports resolved from the file's package, wildcard imports;
// wherever they appear (functions, try blocks). Each reports a finding and returns the names it binds.
// Imports of a rule's replacement, in the same forms, are not reported: they only bind names (uses.ts).
import {
  boundNames, importMessage, replace, replacementBinding, replacementImportNames, type Binding, type FileContext, type ModuleMatch,
} from './context';
import type { Fix } from './finding';
import type { SyntaxNode } from './parser';

/** A module path as written, resolved as far as the file's location allows. */
interface ModuleRef { path: string; relative: boolean; exact: boolean }

function dotted(node: SyntaxNode): string {
  return node.namedChildren.filter((c) => c?.type === 'identifier').map((c) => c!.text).join('.');
}

function matchRule(ctx: FileContext, ref: ModuleRef): ModuleMatch | undefined {
  return ctx.watched.find(({ module }) => ref.path === module
    // A relative import in a workspace whose package root sits below the workspace folder.
    || (ref.relative && ref.path.endsWith(`.${module}`))
    // Too many leading dots to resolve from the file's path: the known tail must match.
    || (!ref.exact && module.endsWith(`.${ref.path}`)));
}

/** The module of a `from X import ...` statement, relative forms resolved against the file's package. */
function fromModule(node: SyntaxNode, pkg: string[] | undefined): ModuleRef | undefined {
  if (node.type === 'dotted_name') return { path: dotted(node), relative: false, exact: true };
  if (node.type !== 'relative_import') return undefined;
  const prefix = node.namedChildren.find((c) => c?.type === 'import_prefix');
  const rest = node.namedChildren.find((c) => c?.type === 'dotted_name');
  const up = (prefix?.text.length ?? 1) - 1;
  const tail = rest ? dotted(rest) : '';
  if (!pkg || up > pkg.length) return { path: tail, relative: true, exact: false };
  return { path: [...pkg.slice(0, pkg.length - up), ...(tail ? [tail] : [])].join('.'), relative: true, exact: true };
}

function importedItems(statement: SyntaxNode): Array<{ item: SyntaxNode; name: string; alias?: string }> {
  return statement.childrenForFieldName('name').filter((n): n is SyntaxNode => n !== null).map((item) => {
    if (item.type !== 'aliased_import') return { item, name: dotted(item) };
    const name = item.childForFieldName('name');
    return { item, name: name ? dotted(name) : '', alias: item.childForFieldName('alias')?.text };
  });
}

/** `from X import ...`: X deprecated (names bound), or X's submodule b deprecated (`from a import b`). */
function fromImport(statement: SyntaxNode, ctx: FileContext, pkg: string[] | undefined): Binding[] {
  const moduleNode = statement.childForFieldName('module_name');
  const ref = moduleNode && fromModule(moduleNode, pkg);
  if (!moduleNode || !ref) return [];
  const items = importedItems(statement);
  const whole = matchRule(ctx, ref);
  if (whole) {
    const { rule, module } = whole;
    const wildcard = statement.namedChildren.some((c) => c?.type === 'wildcard_import');
    const names = boundNames(whole);
    const bound = wildcard ? names.map((name) => ({ name, alias: undefined })) : items.filter((i) => names.includes(i.name));
    if (whole.replacement) return bound.map((i) => replacementBinding(rule, 'name', i.alias ?? i.name));
    const r = rule.replacement;
    let fix: Fix | string;
    if (!r) fix = 'the rule names no replacement';
    else if (wildcard) fix = 'a wildcard import cannot be rewritten safely; import the names you use';
    else {
      const listed = replacementImportNames(rule, r.name, items);
      fix = typeof listed === 'string' ? listed
        : { title: `Import ${r.name} from ${r.module}`, edits: [replace(statement, `from ${r.module} import ${listed.join(', ')}`)] };
    }
    ctx.report(rule, 'deprecated-import', moduleNode, importMessage(module, rule), fix);
    return bound.map((i) => ({ rule, kind: 'name', local: i.alias ?? i.name, keepsName: i.alias !== undefined, importFix: typeof fix === 'string' ? undefined : fix, replacement: false }));
  }
  const bindings: Binding[] = [];
  for (const { item, name, alias } of items) {
    const hit = matchRule(ctx, { ...ref, path: ref.path ? `${ref.path}.${name}` : name });
    if (!hit) continue;
    const { rule, module } = hit;
    const r = rule.replacement;
    const local = alias ?? name;
    if (hit.replacement) {
      bindings.push(replacementBinding(rule, 'module', local));
      continue;
    }
    const parent = r?.module.split('.').slice(0, -1).join('.');
    const leaf = r?.module.split('.').at(-1);
    let fix: Fix | string;
    if (!r) fix = 'the rule names no replacement';
    else if (items.length === 1) fix = { title: `Import ${r.module} as ${local}`, edits: [replace(statement, `from ${parent} import ${leaf} as ${local}`)] };
    else if (!ref.relative && ref.path === parent) fix = { title: `Import ${r.module} as ${local}`, edits: [replace(item, `${leaf} as ${local}`)] };
    else fix = 'the statement imports other names too; move this one to its own import to rewrite it';
    ctx.report(rule, 'deprecated-import', item, importMessage(module, rule), fix);
    bindings.push({ rule, kind: 'module', local, keepsName: true, importFix: typeof fix === 'string' ? undefined : fix, replacement: false });
  }
  return bindings;
}

/** `import a.b.c [as m], ...`: the module bound under its alias, or under its full dotted path. */
function plainImport(statement: SyntaxNode, ctx: FileContext): Binding[] {
  const items = importedItems(statement);
  const bindings: Binding[] = [];
  for (const { item, name, alias } of items) {
    const hit = matchRule(ctx, { path: name, relative: false, exact: true });
    if (!hit) continue;
    const { rule, module } = hit;
    if (hit.replacement) {
      bindings.push(replacementBinding(rule, 'module', alias ?? name));
      continue;
    }
    const r = rule.replacement;
    const text = r && (alias ? `${r.module} as ${alias}` : r.module);
    const fix: Fix | string = !text ? 'the rule names no replacement'
      : { title: `Import ${text}`, edits: [items.length === 1 ? replace(statement, `import ${text}`) : replace(item, text)] };
    ctx.report(rule, 'deprecated-import', item, importMessage(module, rule), fix);
    bindings.push({ rule, kind: 'module', local: alias ?? name, keepsName: alias !== undefined, importFix: typeof fix === 'string' ? undefined : fix, replacement: false });
  }
  return bindings;
}

/** The package a file belongs to, from its workspace-relative path (netra_backend/app/x.py -> netra_backend.app). */
export function pythonPackage(workspacePath: string | undefined): string[] | undefined {
  if (!workspacePath) return undefined;
  return workspacePath.split('/').slice(0, -1);
}

export function pythonImport(statement: SyntaxNode, ctx: FileContext, pkg: string[] | undefined): Binding[] {
  if (statement.type === 'import_statement') return plainImport(statement, ctx);
  if (statement.type === 'import_from_statement') return fromImport(statement, ctx, pkg);
  return [];
}
