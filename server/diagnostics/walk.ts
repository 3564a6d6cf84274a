// Finds the files to lint under a directory, streaming (an async generator over a depth-first walk, so
// memory stays bounded on trees of any size), honouring .gitignore files and skipping virtualenvs,
// node_modules, build output and caches.
import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { grammarOf, sourceExtensions } from './grammars';

/** Directories never worth reading, whatever .gitignore says. */
const SKIPPED_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '.venv', 'venv', 'env', '.env', 'site-packages', '__pycache__',
  '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'dist', 'build', 'out', '.eggs',
  '.next', '.cache', 'coverage', '.idea', '.vscode-test',
]);

/** A .gitignore's rules and the prefix (its folder and a separator) of every path under it. */
interface IgnoreLayer { prefix: string; rules: Ignore }

/** A directory being walked: its prefix, its entries sorted by name, the next one to visit, the layers in force. */
interface Frame { prefix: string; entries: fs.Dirent[]; next: number; scope: IgnoreLayer[] }

/** The extensions grammarOf reads, tested without path.extname, which costs more than the listing itself. */
const SOURCE_EXTENSIONS = new Set(sourceExtensions);

function isSource(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && SOURCE_EXTENSIONS.has(name.slice(dot).toLowerCase());
}

function prefixOf(dir: string): string {
  return dir.endsWith(path.sep) ? dir : dir + path.sep;
}

// Reads are synchronous: a directory listing or a .gitignore costs microseconds, less than a trip through
// the thread pool. The walk still gives the event loop a turn per directory (walkFiles).
function readIgnore(prefix: string): IgnoreLayer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(prefix + '.gitignore', 'utf8');
  } catch {
    return undefined;
  }
  // `ignore` implements gitignore's pattern semantics (negation, anchoring, directory-only patterns).
  return { prefix, rules: ignore().add(text) };
}

/** Every walked path lies under every layer in scope, so its path relative to the layer is a slice. */
function ignored(scope: readonly IgnoreLayer[], file: string, isDir: boolean): boolean {
  for (const { prefix, rules } of scope) {
    const rel = path.sep === '/' ? file.slice(prefix.length) : file.slice(prefix.length).split(path.sep).join('/');
    if (rules.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/** .gitignore files of the ancestors up to the repository root (the folder holding .git). */
function ancestorLayers(dir: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const layer = readIgnore(prefixOf(current));
    if (layer) layers.unshift(layer);
    if (fs.existsSync(path.join(current, '.git')) || path.dirname(current) === current) return layers;
  }
}

function open(dir: string, layers: IgnoreLayer[]): Frame {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    entries = [];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const prefix = prefixOf(dir);
  const own = entries.some((e) => e.name === '.gitignore') ? readIgnore(prefix) : undefined;
  return { prefix, entries, next: 0, scope: own ? [...layers, own] : layers };
}

/**
 * Absolute paths of the files the diagnostics read, under each root (a directory, or a file named
 * explicitly, which is taken even when ignored), depth-first in name order. Symbolic links are not followed.
 * One generator over a stack of open directories: nested generators cost a yield* per level per file.
 */
export async function* walkFiles(...roots: string[]): AsyncGenerator<string> {
  for (const root of roots) {
    const abs = path.resolve(root);
    if (fs.statSync(abs).isFile()) {
      if (grammarOf(abs)) yield abs;
      continue;
    }
    const stack = [open(abs, ancestorLayers(abs))];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const entry = frame.entries[frame.next++];
      if (!entry) {
        stack.pop();
        continue;
      }
      const full = frame.prefix + entry.name;
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name) || entry.name.endsWith('.egg-info') || ignored(frame.scope, full, true)) continue;
        // The language server walks on the daemon's main thread: a turn of the event loop per directory keeps
        // a tree of many directories with nothing to lint from blocking it.
        await new Promise<void>((resolve) => setImmediate(resolve));
        stack.push(open(full, frame.scope));
      } else if (entry.isFile() && isSource(entry.name) && !ignored(frame.scope, full, false)) {
        yield full;
      }
    }
  }
}
