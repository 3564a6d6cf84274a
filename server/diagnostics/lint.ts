// `handshake lint`'s engine: walk the paths on this thread and hand the files to the parse workers in
// batches; each worker reads, pre-filters and analyses its batch, so reading 150 MB is spread over the cores
// as the parsing is. Optionally writes the safe rewrites back. Reports come out in walk order, with a bounded
// number of batches in flight, so memory stays flat on big trees.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Finding } from './finding';
import { sharedPool, type ParsePool } from './pool/pool';
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
}

/** Files per message to a worker: few enough that the workers share a small tree, many enough that messages cost nothing. */
const BATCH = 32;
/** Batches between the walk and the report: enough to keep every worker busy behind a slow file. */
const IN_FLIGHT = 16;

async function lintBatch(files: string[], rules: RuleSet, opts: LintOptions, pool: ParsePool): Promise<FileReport[]> {
  const results = await pool.analyzeFiles({ files, rules, opts: { workspaceRoot: opts.workspaceRoot }, fix: opts.fix });
  return Promise.all(results.map(async ({ findings, fixed, refused, unreadable }, i): Promise<FileReport> => {
    const report: FileReport = { path: path.relative(opts.workspaceRoot, files[i]!).split(path.sep).join('/'), findings };
    if (unreadable) report.unreadable = unreadable;
    if (refused) report.refused = refused;
    if (fixed) {
      await fs.writeFile(files[i]!, fixed.text);
      report.fixed = fixed.edits;
    }
    return report;
  }));
}

/** Reports for every file under the paths (files with no findings included), in walk order. */
export async function* lint(paths: string[], rules: RuleSet, opts: LintOptions, pool = sharedPool('batch')): AsyncGenerator<FileReport> {
  const inFlight: Array<Promise<FileReport[]>> = [];
  let batch: string[] = [];
  for await (const file of walkFiles(...paths)) {
    batch.push(file);
    if (batch.length < BATCH) continue;
    inFlight.push(lintBatch(batch, rules, opts, pool));
    batch = [];
    if (inFlight.length >= IN_FLIGHT) yield* await inFlight.shift()!;
  }
  if (batch.length > 0) inFlight.push(lintBatch(batch, rules, opts, pool));
  while (inFlight.length > 0) yield* await inFlight.shift()!;
}
