// `handshake lint`'s engine: walk the paths, read and pre-filter each file on this thread (one reused buffer;
// almost every file ends there), and hand the texts that may have findings to the parse workers, which start
// with the first one and boot while this thread reads on. Reading on one thread costs less than on two here:
// concurrent reads of 8,000 small files contend in the kernel. Optionally writes the safe rewrites back.
// Reports come out in walk order, with a bounded number of chunks in flight, so memory stays flat. With a
// cache, a file whose stamp is unchanged is neither read nor analysed: its recorded findings stand.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Finding } from './finding';
import type { LintCache } from './lint-cache';
import { sharedPool, type ParsePool } from './pool/pool';
import { readCandidate, type Candidate } from './prefilter';
import type { RuleSet } from './rules';
import { walkFiles } from './walk';

export interface FileReport {
  /** Path relative to the workspace root, with forward slashes (as SARIF and humans want it). */
  path: string;
  findings: Finding[];
  /** --fix: how many edits were written, or why the file's rewrite was refused. */
  fixed?: number;
  refused?: string;
  /** The file could not be read (permissions, vanished mid-walk): reported, not fatal. */
  unreadable?: string;
}

export interface LintOptions {
  workspaceRoot: string;
  fix?: boolean;
  /** Findings of unchanged files come from it; those of the files read are recorded in it. */
  cache?: LintCache;
}

interface Walked extends Candidate {
  file: string;
  /** reportPath(file) */
  path: string;
  /** Its findings from the cache: the file was not read. */
  cached?: Finding[];
}

/**
 * A chunk of the walk goes to a worker once it holds this many texts to analyse, or this many files: few
 * texts per message keep every worker busy on a tree where few files match.
 */
const CHUNK_TEXTS = 8;
const CHUNK_FILES = 512;
/** Chunks between the walk and the report: enough to keep every worker busy behind a slow file. */
const IN_FLIGHT = 64;

/** A walked file's path as reports give it: relative to the workspace root, with forward slashes. */
export function reportPath(file: string, root: string): string {
  const rel = file.startsWith(root + path.sep) ? file.slice(root.length + 1) : path.relative(root, file);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

async function lintChunk(chunk: Walked[], rules: RuleSet, opts: LintOptions, pool: ParsePool): Promise<FileReport[]> {
  const analysed = chunk.filter((w) => w.text !== undefined);
  const results = analysed.length === 0 ? [] : await pool.analyzeFiles({
    files: analysed.map((w) => w.file), texts: analysed.map((w) => w.text!), rules, opts: { workspaceRoot: opts.workspaceRoot }, fix: opts.fix,
  });
  const resultOf = new Map(analysed.map((w, i) => [w, results[i]!]));
  const writes: Array<Promise<void>> = [];
  const reports = chunk.map((walked): FileReport => {
    const report: FileReport = { path: walked.path, findings: walked.cached ?? [] };
    if (walked.cached) return report;
    if (walked.unreadable) {
      report.unreadable = walked.unreadable;
      return report;
    }
    const result = resultOf.get(walked);
    if (result) {
      report.findings = result.findings;
      if (result.refused) report.refused = result.refused;
      if (result.fixed) {
        writes.push(fs.writeFile(walked.file, result.fixed.text));
        report.fixed = result.fixed.edits;
      }
    }
    // A rewritten file is recorded without a stamp: the next run reads what --fix wrote.
    opts.cache?.record(walked.path, result?.fixed ? undefined : walked.stamp, report.findings);
    return report;
  });
  await Promise.all(writes);
  return reports;
}

/** Reports for every file under the paths (files with no findings included), in walk order, a chunk at a time. */
export async function* lint(paths: string[], rules: RuleSet, opts: LintOptions, pool = sharedPool()): AsyncGenerator<FileReport[]> {
  const inFlight: Array<Promise<FileReport[]>> = [];
  let chunk: Walked[] = [];
  let texts = 0;
  for await (const file of walkFiles(...paths)) {
    const at = reportPath(file, opts.workspaceRoot);
    // --fix must read a file with findings to rewrite it; a clean unchanged one it can skip.
    const cached = opts.cache?.findings(at, file);
    const walked: Walked = cached && !(opts.fix && cached.length > 0)
      ? { file, path: at, cached }
      : { file, path: at, ...readCandidate(file, rules, opts.cache !== undefined) };
    chunk.push(walked);
    if (walked.text !== undefined && texts++ === 0) pool.start(); // the workers boot while this thread reads on
    if (texts < CHUNK_TEXTS && chunk.length < CHUNK_FILES) continue;
    inFlight.push(lintChunk(chunk, rules, opts, pool));
    chunk = [];
    texts = 0;
    if (inFlight.length >= IN_FLIGHT) yield await inFlight.shift()!;
  }
  if (chunk.length > 0) inFlight.push(lintChunk(chunk, rules, opts, pool));
  while (inFlight.length > 0) yield await inFlight.shift()!;
}
