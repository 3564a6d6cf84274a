// What the parse workers do, and the messages that carry it: a file's findings (with --fix, the rewritten
// text once it parses at least as well), or an open document's, re-parsed incrementally from its last tree.
// Everything crossing the thread boundary is plain data: trees stay in the worker's wasm memory.
import { readFileSync } from 'node:fs';
import { analyzeSyntax, DocumentAnalyzer, mayImport, type AnalyzeOptions } from '../analyze';
import type { Finding } from '../finding';
import { applyEdits, fixAll } from '../fix';
import { grammarOf, languageOf } from '../parser';
import type { RuleSet } from '../rules';
import { Syntax } from '../syntax';

export interface FileJob {
  kind: 'file';
  file: string;
  /** The file's text; without it, the worker reads the file and analyses it only if it may import. */
  text?: string;
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

export type Job = FileJob | DocumentJob | ForgetJob;

export interface FileResult {
  findings: Finding[];
  /** The whole parse ran over its budget: analysed by top-level slices. */
  sliced?: boolean;
  /** With fix: the rewritten text and how many edits it holds; findings are then what remains in it. */
  fixed?: { text: string; edits: number };
  refused?: string;
}

export type Reply = { id: number; result: FileResult } | { id: number; error: string };

export async function analyzeFile(job: FileJob): Promise<FileResult> {
  const grammar = grammarOf(job.file);
  if (!grammar) return { findings: [] };
  let { text } = job;
  if (text === undefined) {
    const bytes = readFileSync(job.file);
    if (!mayImport(bytes, job.rules, languageOf(grammar))) return { findings: [] };
    text = bytes.toString('utf8');
  }
  const syntax = await Syntax.parse(grammar, text);
  try {
    const findings = analyzeSyntax(job.file, syntax, job.rules, job.opts);
    const edits = job.fix ? fixAll(findings) : [];
    if (edits.length === 0) return { findings, sliced: syntax.sliced };
    const fixedText = applyEdits(text, edits);
    const after = await Syntax.parse(grammar, fixedText);
    try {
      if (after.errorCount() > syntax.errorCount()) return { findings, refused: 'the rewritten file would not parse; left unchanged' };
      // The same pre-filter as the first pass: what remains is what the next `handshake lint` reports.
      const remaining = mayImport(fixedText, job.rules, languageOf(grammar)) ? analyzeSyntax(job.file, after, job.rules, job.opts) : [];
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

export async function runJob(job: Job): Promise<FileResult> {
  if (job.kind === 'file') return analyzeFile(job);
  if (job.kind === 'forget') {
    documents.get(job.uri)?.dispose();
    documents.delete(job.uri);
    return { findings: [] };
  }
  let analyzer = documents.get(job.uri);
  if (!analyzer || analyzer.filePath !== job.file) {
    analyzer?.dispose();
    analyzer = new DocumentAnalyzer(job.file);
    documents.set(job.uri, analyzer);
  }
  return { findings: await analyzer.analyze(job.text, job.rules, job.opts) };
}
