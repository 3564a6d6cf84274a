// Which files the diagnostics read, and with which grammar: from the extension alone. Kept apart from
// parser.ts so the walk and the language server's watchers do not load web-tree-sitter to ask.
import path from 'node:path';
import type { Language } from './rules';

export type Grammar = 'python' | 'typescript' | 'tsx' | 'javascript';

const extensions: Record<string, Grammar> = {
  '.py': 'python', '.pyi': 'python', '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript',
  '.tsx': 'tsx', '.js': 'javascript', '.jsx': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript',
};

/** The extensions the diagnostics read, for file watchers (the language server's workspace diagnostics). */
export const sourceExtensions: readonly string[] = Object.keys(extensions);

/** The grammar for a file, from its extension; undefined for files the diagnostics do not read. */
export function grammarOf(filePath: string): Grammar | undefined {
  return extensions[path.extname(filePath).toLowerCase()];
}

export function languageOf(grammar: Grammar): Language {
  return grammar === 'python' ? 'python' : grammar === 'javascript' ? 'javascript' : 'typescript';
}
