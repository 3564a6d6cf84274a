// Python: the node names of tree-sitter-python and the file-level pass (imports first, then their uses).
import path from 'node:path';
import { wordNodes, type Binding, type FileContext, type SyntaxProfile } from './context';
import { pythonImport, pythonPackage } from './python-imports';
import type { Syntax } from './syntax';
import { reportUses } from './uses';

const PYTHON: SyntaxProfile = {
  identifiers: new Set(['identifier']),
  members: { attribute: ['object', 'attribute'] },
  calls: new Set(['call']),
  skipped: new Set(['import_statement', 'import_from_statement', 'future_import_statement']),
  assignments: { assignment: ['left', 'right'] },
  annotated: { typed_parameter: undefined, typed_default_parameter: 'name' },
};

const KEYWORD = new Set(['import']);
const STATEMENTS = new Set(['import_statement', 'import_from_statement']);

export function analyzePython(syntax: Syntax, ctx: FileContext): void {
  const pkg = pythonPackage(ctx.workspacePath && path.posix.normalize(ctx.workspacePath));
  const bindings: Binding[] = [];
  // Every import statement holds the keyword `import`; the tree says which occurrences are that keyword.
  for (const keyword of wordNodes(syntax, 'import', KEYWORD)) {
    const statement = keyword.parent;
    if (statement && STATEMENTS.has(statement.type)) bindings.push(...pythonImport(statement, ctx, pkg));
  }
  reportUses(syntax, ctx, PYTHON, bindings);
}
