// What the parse workers do, and the messages that carry it: files read, pre-filtered and analysed in
// batches (with --fix, each rewritten text once it parses at least as well), or an open document's
// findings, re-parsed incrementally from its last tree. Reading in the workers spreads it over the cores.
// Everything crossing the thread boundary is plain data: trees stay in the worker's wasm memory.
import { closeSync, openSync, readSync } from 'node:fs';
import { analyzeSyntax, analyzeText, DocumentAnalyzer, mayImport, type AnalyzeOptions } from '../analyze';
import type { Finding } from '../finding';
import { applyEdits, fixAll } from '../fix';
import { grammarOf, languageOf } from '../parser';
import type { RuleSet } from '../rules';
import { Syntax } from '../syntax';

export interface FilesJob {
  kind: 'files';
  /** Read and analysed in order; a batch spares a message per file on trees of thousands. */
  files: string[];
  rules: RuleSet;
  opts: AnalyzeOptions;
  /** Also compute the safe rewrites' result (lint --fix). */
  fix?: boolean;
}

export interface DocumentJob {
  kind: 'document';
  /** Which open document: its tree is kept in the worker between jobs. */
  uri: string;
  file: string;
  text: string;
  rules: RuleSet;
  opts: AnalyzeOptions;
}

export interface ForgetJob { kind: 'forget'; uri: string }

export type Job = FilesJob | DocumentJob | ForgetJob;

export interface FileResult {
  findings: Finding[];
  /** The file could not be read (permissions, vanished mid-walk): the error's code. */
  unreadable?: string;
  /** With fix: the rewritten text and how many edits it holds; findings are then what remains in it. */
  fixed?: { text: string; edits: number };
  refused?: string;
}

/** One result per file of a files job; one for a document. */
export type Reply = { id: number; results: FileResult[] } | { id: number; error: string };

/**
 * The worker's one read buffer: most files are searched and dropped, and a fresh Buffer per file (150 MB on
 * the real service) costs more in garbage collection than the reads themselves.
 */
let scratch = Buffer.allocUnsafe(1 << 20);

/** A file's bytes, valid until the next call. */
function readFile(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    for (let length = 0; ;) {
      if (length === scratch.length) scratch = Buffer.concat([scratch], scratch.length * 2);
      const read = readSync(fd, scratch, length, scratch.length - length, null);
      if (read === 0) return scratch.subarray(0, length);
      length += read;
    }
  } finally {
    closeSync(fd);
  }
}

async function analyzeFile(file: string, job: FilesJob): Promise<FileResult> {
  const grammar = grammarOf(file);
  if (!grammar) return { findings: [] };
  let bytes: Buffer;
  try {
    bytes = readFile(file);
  } catch (e) {
    return { findings: [], unreadable: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
  // Most files import nothing deprecated: the byte search spares decoding and parsing them.
  if (!mayImport(bytes, job.rules, languageOf(grammar))) return { findings: [] };
  const text = bytes.toString('utf8');
  if (!job.fix) return { findings: await analyzeText(file, text, job.rules, job.opts) };
  // Fixing compares the whole file's syntax errors before and after: parsed whole, not focused.
  const syntax = await Syntax.parse(grammar, text);
  try {
    const findings = analyzeSyntax(file, syntax, job.rules, job.opts);
    const edits = fixAll(findings);
    if (edits.length === 0) return { findings };
    const fixedText = applyEdits(text, edits);
    const after = await Syntax.parse(grammar, fixedText);
    try {
      if (after.errorCount() > syntax.errorCount()) return { findings, refused: 'the rewritten file would not parse; left unchanged' };
      // The same pre-filter as the first pass: what remains is what the next `handshake lint` reports.
      const remaining = mayImport(fixedText, job.rules, languageOf(grammar)) ? analyzeSyntax(file, after, job.rules, job.opts) : [];
      return { findings: remaining, fixed: { text: fixedText, edits: edits.length } };
    } finally {
      after.release();
    }
  } finally {
    syntax.release();
  }
}

/** Open documents' analyzers in this worker, by uri. */
const documents = new Map<string, DocumentAnalyzer>();

export async function runJob(job: Job): Promise<FileResult[]> {
  if (job.kind === 'files') {
    const results: FileResult[] = [];
    for (const file of job.files) results.push(await analyzeFile(file, job));
    return results;
  }
  if (job.kind === 'forget') {
    documents.get(job.uri)?.dispose();
    documents.delete(job.uri);
    return [];
  }
  let analyzer = documents.get(job.uri);
  if (!analyzer || analyzer.filePath !== job.file) {
    analyzer?.dispose();
    analyzer = new DocumentAnalyzer(job.file);
    documents.set(job.uri, analyzer);
  }
  return [{ findings: await analyzer.analyze(job.text, job.rules, job.opts) }];
}
