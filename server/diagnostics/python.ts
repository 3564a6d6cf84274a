// Python: the node names of tree-sitter-python and the file-level pass (imports first, then their uses).
import path from 'node:path';
import type { Binding, FileContext } from './context';
import type { Tree } from './parser';
import { query } from './parser';
import { pythonImport, pythonPackage } from './python-imports';
import { reportUses, type SyntaxProfile } from './uses';

const PYTHON: SyntaxProfile = {
  identifiers: new Set(['identifier']),
  members: { attribute: ['object', 'attribute'] },
  calls: new Set(['call']),
  skipped: new Set(['import_statement', 'import_from_statement', 'future_import_statement']),
  assignments: { assignment: ['left', 'right'] },
  annotated: { typed_parameter: undefined, typed_default_parameter: 'name' },
};

// The query runs inside the wasm engine: far cheaper than walking every node in JavaScript to find imports.
const IMPORTS = '[(import_statement) (import_from_statement)] @import';

export function analyzePython(tree: Tree, ctx: FileContext): void {
  const pkg = pythonPackage(ctx.workspacePath && path.posix.normalize(ctx.workspacePath));
  const bindings: Binding[] = [];
  for (const { node } of query('python', tree, IMPORTS).captures(tree.rootNode)) bindings.push(...pythonImport(node, ctx, pkg));
  reportUses(tree, ctx, PYTHON, bindings);
}
