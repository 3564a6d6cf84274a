// Finds the files to lint under a directory, streaming (an async generator over a depth-first walk, so
// memory stays bounded on trees of any size), honouring .gitignore files and skipping virtualenvs,
// node_modules, build output and caches.
import fs from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { grammarOf } from './parser';

/** Directories never worth reading, whatever .gitignore says. */
const SKIPPED_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '.venv', 'venv', 'env', '.env', 'site-packages', '__pycache__',
  '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'dist', 'build', 'out', '.eggs',
  '.next', '.cache', 'coverage', '.idea', '.vscode-test',
]);

interface IgnoreLayer { base: string; rules: Ignore }

async function readIgnore(dir: string): Promise<IgnoreLayer | undefined> {
  const text = await fs.readFile(path.join(dir, '.gitignore'), 'utf8').catch(() => undefined);
  // `ignore` implements gitignore's pattern semantics (negation, anchoring, directory-only patterns).
  return text === undefined ? undefined : { base: dir, rules: ignore().add(text) };
}

function ignored(layers: readonly IgnoreLayer[], file: string, isDir: boolean): boolean {
  return layers.some((layer) => {
    const rel = path.relative(layer.base, file).split(path.sep).join('/');
    return rel !== '' && !rel.startsWith('..') && layer.rules.ignores(isDir ? `${rel}/` : rel);
  });
}

/** .gitignore files of the ancestors up to the repository root (the folder holding .git). */
async function ancestorLayers(dir: string): Promise<IgnoreLayer[]> {
  const layers: IgnoreLayer[] = [];
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const layer = await readIgnore(current);
    if (layer) layers.unshift(layer);
    const isRepoRoot = await fs.stat(path.join(current, '.git')).then(() => true, () => false);
    if (isRepoRoot || path.dirname(current) === current) return layers;
  }
}

async function* walkDir(dir: string, layers: IgnoreLayer[]): AsyncGenerator<string> {
  const own = await readIgnore(dir);
  const scope = own ? [...layers, own] : layers;
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED_DIRS.has(entry.name) || entry.name.endsWith('.egg-info') || ignored(scope, full, true)) continue;
      yield* walkDir(full, scope);
    } else if (entry.isFile() && grammarOf(entry.name) && !ignored(scope, full, false)) {
      yield full;
    }
  }
}

/**
 * Absolute paths of the files the diagnostics read, under each root (a directory, or a file named
 * explicitly, which is taken even when ignored). Symbolic links are not followed.
 */
export async function* walkFiles(...roots: string[]): AsyncGenerator<string> {
  for (const root of roots) {
    const abs = path.resolve(root);
    const stat = await fs.stat(abs);
    if (stat.isFile()) {
      if (grammarOf(abs)) yield abs;
    } else {
      yield* walkDir(abs, await ancestorLayers(abs));
    }
  }
}
