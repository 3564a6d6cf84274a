// `handshake lint`'s engine: walk the paths, read and pre-filter each file on this thread while the parse
// workers analyse the files that passed, optionally write the safe rewrites back. Reports come out in walk
// order, with a bounded number of files in flight, so memory stays flat on big trees. Reads are synchronous:
// measured on a 3,000-file tree, 0.9 s CPU against 1.5 s for 16 overlapping async reads (the thread-pool
// hops cost more than the overlap saves when most files are a few kilobytes and are never parsed).
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { mayImport } from './analyze';
import type { Finding } from './finding';
import { grammarOf, languageOf } from './parser';
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

/** Files between the walk and the report: enough to keep every worker busy behind a slow file. */
const IN_FLIGHT = 256;

async function lintFile(file: string, rules: RuleSet, opts: LintOptions, pool: ParsePool): Promise<FileReport> {
  const rel = path.relative(opts.workspaceRoot, file).split(path.sep).join('/');
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return { path: rel, findings: [], unreadable: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
  // Most files import nothing deprecated: the byte search spares decoding and parsing them.
  if (!mayImport(bytes, rules, languageOf(grammarOf(file)!))) return { path: rel, findings: [] };
  const result = await pool.analyzeFile({ file, text: bytes.toString('utf8'), rules, opts: { workspaceRoot: opts.workspaceRoot }, fix: opts.fix });
  if (result.refused) return { path: rel, findings: result.findings, refused: result.refused };
  if (!result.fixed) return { path: rel, findings: result.findings };
  await fs.writeFile(file, result.fixed.text);
  return { path: rel, findings: result.findings, fixed: result.fixed.edits };
}

/** Reports for every file under the paths (files with no findings included), in walk order. */
export async function* lint(paths: string[], rules: RuleSet, opts: LintOptions, pool = sharedPool('batch')): AsyncGenerator<FileReport> {
  const inFlight: Array<Promise<FileReport>> = [];
  for await (const file of walkFiles(...paths)) {
    inFlight.push(lintFile(file, rules, opts, pool));
    if (inFlight.length >= IN_FLIGHT) yield await inFlight.shift()!;
  }
  while (inFlight.length > 0) yield await inFlight.shift()!;
}
