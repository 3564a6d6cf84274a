// `handshake lint`'s cache, as ruff's and ESLint's: each file's findings with the stamp of what was read
// (size, modification and change times, inode), so a re-run reads and analyses only the files that changed.
// One file per workspace root under the user's cache folder. It is keyed by the version, the analysis
// code's own files, the root and the rules: any change there starts it afresh. A bad or foreign cache file
// is ignored and replaced, never trusted.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VERSION } from '../version';
import type { Finding } from './finding';
import { WORKER_FILE } from './pool/pool';
import type { FileStamp } from './read-file';
import type { RuleSet } from './rules';

/**
 * A file's stamp (size, mtimeMs, ctimeMs, ino) and its findings when it has any: tuples, since loading the
 * cache is most of a cached run and a tree's stamps are most of the cache.
 */
type Entry = [number, number, number, number] | [number, number, number, number, Finding[]];
interface CacheFile { key: string; files: Record<string, Entry> }

/**
 * A file changed this close to the run's start could change again within its timestamps' resolution
 * (a jiffy on Linux, 2 s on FAT) without its stamp moving: it is not recorded, so the next run reads it.
 */
const RACY_MS = 2_000;

function cacheHome(env: NodeJS.ProcessEnv): string {
  if (env.XDG_CACHE_HOME) return env.XDG_CACHE_HOME;
  if (process.platform === 'win32' && env.LOCALAPPDATA) return env.LOCALAPPDATA;
  return path.join(os.homedir(), '.cache');
}

/** The analysis code as it is on disk (this bundle and the parse worker's): a rebuild changes what it finds. */
function codeStamp(): string {
  return [__filename, WORKER_FILE].map((file) => {
    try {
      const { size, mtimeMs } = fs.statSync(file);
      return `${size}:${mtimeMs}`;
    } catch {
      return '';
    }
  }).join('/');
}

const isPosition = (p: unknown): boolean => typeof p === 'object' && p !== null
  && typeof (p as { line?: unknown }).line === 'number' && typeof (p as { character?: unknown }).character === 'number';

/** Enough of a Finding's shape that every report format can print it: the file is ours, but it is on disk. */
function isFinding(f: unknown): f is Finding {
  if (typeof f !== 'object' || f === null) return false;
  const { ruleId, code, message, severity, range, fix } = f as Partial<Finding>;
  return typeof ruleId === 'string' && typeof code === 'string' && typeof message === 'string' && typeof severity === 'string'
    && isPosition(range?.start) && isPosition(range?.end) && (fix === undefined || (typeof fix.title === 'string' && Array.isArray(fix.edits)));
}

function sameStamp([size, mtimeMs, ctimeMs, ino]: Entry, b: FileStamp): boolean {
  return size === b.size && mtimeMs === b.mtimeMs && ctimeMs === b.ctimeMs && ino === b.ino;
}

export class LintCache {
  private readonly started = Date.now();
  private readonly seen = new Set<string>();
  private changed = false;

  private constructor(readonly file: string, private readonly key: string, private readonly entries: Map<string, Entry>,
    private readonly racyMs: number) {}

  /** The cache of a workspace root for these rules (empty when there is none yet, or it was made for others). */
  static open(root: string, rules: RuleSet, { env = process.env, racyMs = RACY_MS } = {}): LintCache {
    const key = JSON.stringify([VERSION, codeStamp(), root, rules]);
    const file = path.join(cacheHome(env), 'handshake', `lint-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.json`);
    let entries = new Map<string, Entry>();
    try {
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
      if (data.key === key && typeof data.files === 'object' && data.files !== null) entries = new Map(Object.entries(data.files));
    } catch {
      // none yet, unreadable or not JSON: start afresh
    }
    return new LintCache(file, key, entries, racyMs);
  }

  /** A file's findings as recorded, if its stamp (stat'ed now) is the one they were found for. */
  findings(reportPath: string, file: string): Finding[] | undefined {
    const entry = this.entries.get(reportPath);
    if (!Array.isArray(entry) || (entry.length === 5 && !(Array.isArray(entry[4]) && entry[4].every(isFinding)))) return undefined;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return undefined;
    }
    if (!sameStamp(entry, stat)) return undefined;
    this.seen.add(reportPath);
    return entry[4] ?? [];
  }

  /** A file read and analysed (stamp) or rewritten by --fix (no stamp: its next run reads it again). */
  record(reportPath: string, stamp: FileStamp | undefined, findings: Finding[]): void {
    this.seen.add(reportPath);
    this.changed = true;
    if (stamp && Math.max(stamp.mtimeMs, stamp.ctimeMs) < this.started - this.racyMs) {
      const { size, mtimeMs, ctimeMs, ino } = stamp;
      this.entries.set(reportPath, findings.length > 0 ? [size, mtimeMs, ctimeMs, ino, findings] : [size, mtimeMs, ctimeMs, ino]);
    } else {
      this.entries.delete(reportPath);
    }
  }

  /**
   * Writes the cache if anything changed (atomically: a concurrent run reads the old or the new one). Files
   * under the linted paths (as reportPath gives them: '' for the root) that were not seen are gone and dropped;
   * others are kept for runs over other paths. Returns why it could not be written, if so.
   */
  save(lintedPaths: string[]): string | undefined {
    const prefixes = lintedPaths.map((p) => (p === '' ? '' : `${p}/`));
    for (const reportPath of this.entries.keys()) {
      if (this.seen.has(reportPath)) continue;
      if (prefixes.some((prefix) => reportPath.startsWith(prefix) || `${reportPath}/` === prefix)) {
        this.entries.delete(reportPath);
        this.changed = true;
      }
    }
    if (!this.changed) return undefined;
    const data: CacheFile = { key: this.key, files: Object.fromEntries(this.entries) };
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(temp, JSON.stringify(data), { mode: 0o600 });
      fs.renameSync(temp, this.file);
      return undefined;
    } catch (e) {
      try {
        fs.rmSync(temp, { force: true });
      } catch {
        // the folder itself is unusable: nothing was written
      }
      return (e as Error).message;
    }
  }
}
