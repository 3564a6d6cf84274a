// What the parse workers do, and the messages that carry it: files pre-filtered and analysed in batches,
// read here unless the caller read them (the workspace scan leaves its thread free of file bytes; lint reads
// on its own), with --fix each rewritten text once it parses at least as well; or an open document's
// findings, re-parsed incrementally from its last tree.
// Everything crossing the thread boundary is plain data: trees stay in the worker's wasm memory.
import { analyzeSyntax, analyzeText, DocumentAnalyzer, type AnalyzeOptions } from '../analyze';
import type { Finding } from '../finding';
import { applyEdits, fixAll } from '../fix';
import { grammarOf, languageOf } from '../grammars';
import { mayImport, readCandidate } from '../prefilter';
import type { RuleSet } from '../rules';
import { Syntax } from '../syntax';

export interface FilesJob {
  kind: 'files';
  /** Read and analysed in order; a batch spares a message per file on trees of thousands. */
  files: string[];
  /** The files' texts, when the caller has read and pre-filtered them already (lint, while the workers start). */
  texts?: string[];
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

/** A file's text if it may have findings: read here unless the caller read it. */
function textOf(file: string, job: FilesJob, index: number): string | FileResult {
  const given = job.texts?.[index];
  if (given !== undefined) return given;
  const { text, unreadable } = readCandidate(file, job.rules);
  return text ?? { findings: [], ...(unreadable ? { unreadable } : {}) };
}

async function analyzeFile(job: FilesJob, index: number): Promise<FileResult> {
  const file = job.files[index]!;
  const grammar = grammarOf(file);
  if (!grammar) return { findings: [] };
  const text = textOf(file, job, index);
  if (typeof text !== 'string') return text;
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

/**
 * Rule sets arrive as a fresh copy with each job: the same rules become the same object again, so what the
 * analysis works out once per rule set (rulesFor, the focus words, the pre-filter's clues) is worked out once.
 */
const ruleSets = new Map<string, RuleSet>();

function sameRules(job: Job): void {
  if (job.kind === 'forget') return;
  const key = JSON.stringify(job.rules);
  const known = ruleSets.get(key);
  if (known) {
    job.rules = known;
    return;
  }
  if (ruleSets.size >= 8) ruleSets.clear(); // a daemon whose config keeps changing keeps only recent ones
  ruleSets.set(key, job.rules);
}

export async function runJob(job: Job): Promise<FileResult[]> {
  sameRules(job);
  if (job.kind === 'files') {
    const results: FileResult[] = [];
    for (let i = 0; i < job.files.length; i++) results.push(await analyzeFile(job, i));
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
