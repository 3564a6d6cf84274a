// workspace/diagnostic: findings for files that are not open, from disk. Each file's result id is its
// mtime, size and the rule generation, so a re-pull only re-reads files that changed and answers
// `unchanged` for the rest. Open documents are left to the document pull, which sees unsaved edits.
// VS Code re-pulls 2 s after every answer; a re-pull with nothing new is held (LSP allows it) until a
// file changes, a document closes or the rules change, so the tree is not re-walked every 2 s.
import fs from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import {
  type CancellationToken, type Diagnostic, type ResultProgressReporter, type WorkDoneProgressReporter, type WorkspaceDiagnosticParams,
  type WorkspaceDiagnosticReport, type WorkspaceDiagnosticReportPartialResult, type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { walkFiles } from '../walk';
import { toDiagnostic } from './diagnostic';
import type { DiagnosticsSession } from './session';

/**
 * Keeps one pull bounded on huge trees (the rest is the CLI's to report); well above the real service's
 * 7,816 Python files, now that parsing runs in the workers and a scan can be cancelled.
 */
const MAX_WORKSPACE_FILES = 20_000;
/** Reports per partial result: the editor shows the first findings before the whole tree is read. */
const PARTIAL_BATCH = 50;
/** Files in flight at once: enough to keep every parse worker busy. */
const IN_FLIGHT = 16;
/** Files per $/progress report. */
const PROGRESS_EVERY = 25;

/** $/progress for one scan (a WorkDoneProgressReporter); the server-created kind can be cancelled from the editor. */
export interface ScanProgress extends WorkDoneProgressReporter {
  token?: CancellationToken;
}

export class WorkspaceDiagnostics {
  /** Diagnostics by uri with the result id they were computed for (clean files too, so they are not re-read). */
  private readonly cache = new Map<string, { resultId: string; items: Diagnostic[] }>();
  /** Something may have changed since the last walk. */
  private dirty = true;
  private readonly waiters = new Set<() => void>();

  /**
   * holdMs: the longest a re-pull waits; short when the editor does not watch files for us.
   * walkable: false when the editor has no folder open (the workspace is then only the daemon's working directory).
   */
  constructor(
    private readonly session: DiagnosticsSession, private readonly isOpen: (uri: string) => boolean,
    private readonly holdMs: number, private readonly walkable: Promise<boolean>,
  ) {}

  /** A file changed on disk, a document closed or the rules changed: held pulls walk the tree again. */
  poke(): void {
    this.dirty = true;
    for (const wake of [...this.waiters]) wake();
  }

  /**
   * With a partial-result reporter, batches go out as they are ready and the final answer holds the rest.
   * The walk comes first (for the counts); then each file is stat'ed here and, when changed, read, pre-filtered
   * and analysed by a parse worker; progress reports files done out of the total.
   */
  async report(
    params: WorkspaceDiagnosticParams, token: CancellationToken, partial?: ResultProgressReporter<WorkspaceDiagnosticReportPartialResult>,
    progress: () => Promise<ScanProgress> = async () => ({ begin() {}, report() {}, done() {} }),
  ): Promise<WorkspaceDiagnosticReport> {
    if (!this.dirty) await this.held(token);
    if (token.isCancellationRequested) return { items: [] };
    this.dirty = false;
    if (!(await this.walkable)) return { items: [] };
    const files: string[] = [];
    let complete = true;
    for await (const file of walkFiles(this.session.workspace)) {
      if (files.length === MAX_WORKSPACE_FILES) {
        complete = false;
        break;
      }
      files.push(file);
    }
    const reporter = await progress();
    const cancelled = (): boolean => token.isCancellationRequested || reporter.token?.isCancellationRequested === true;
    reporter.begin('Handshake: deprecated notifier uses', 0, `0/${files.length} files`, true);
    const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
    let items: WorkspaceDocumentDiagnosticReport[] = [];
    const seen = new Set<string>();
    let done = 0;
    const next = files.values(); // shared by the readers below: each file is taken once
    const scanOne = async (): Promise<void> => {
      for (const file of next) {
        if (cancelled()) return;
        const uri = pathToFileURL(file).href;
        if (!this.isOpen(uri)) {
          seen.add(uri);
          const report = await this.reportFile(file, uri, previous.get(uri));
          if (report) items.push(report);
          if (partial && items.length >= PARTIAL_BATCH) {
            partial.report({ items });
            items = [];
          }
        }
        if (++done % PROGRESS_EVERY === 0) reporter.report(Math.floor((done / files.length) * 100), `${done}/${files.length} files`);
      }
    };
    // A few files in flight: workers stay busy while this thread stats the next ones.
    await Promise.all(Array.from({ length: IN_FLIGHT }, scanOne)).finally(() => reporter.done());
    if (cancelled() || !complete) {
      if (cancelled()) this.dirty = true; // the walk did not finish: the next pull must not wait
      return { items };
    }
    // Files the client still shows diagnostics for but that are gone (deleted, now ignored): clear them.
    for (const uri of previous.keys()) {
      if (!seen.has(uri) && !this.isOpen(uri)) items.push({ kind: 'full', uri, version: null, items: [] });
    }
    for (const uri of this.cache.keys()) if (!seen.has(uri)) this.cache.delete(uri);
    return { items };
  }

  /** Resolves on poke(), cancellation (the editor re-pulls on refresh) or after holdMs. */
  private held(token: CancellationToken): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        cancel.dispose();
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.holdMs);
      const cancel = token.onCancellationRequested(wake);
      this.waiters.add(wake);
    });
  }

  /** Releases held pulls (shutdown). */
  dispose(): void {
    this.poke();
  }

  private async reportFile(file: string, uri: string, previousId: string | undefined): Promise<WorkspaceDocumentDiagnosticReport | undefined> {
    let resultId: string;
    try {
      const stat = await fs.stat(file);
      resultId = `${this.session.generation}:${stat.mtimeMs}:${stat.size}`;
    } catch {
      return undefined; // vanished between the walk and the stat; the next pull clears it
    }
    if (previousId === resultId) return { kind: 'unchanged', uri, version: null, resultId };
    let cached = this.cache.get(uri);
    if (cached?.resultId !== resultId) {
      const findings = await this.session.analyze(file);
      cached = { resultId, items: findings.map(toDiagnostic) };
      this.cache.set(uri, cached);
    }
    // A clean file the client knows nothing about needs no entry.
    if (cached.items.length === 0 && previousId === undefined) return undefined;
    return { kind: 'full', uri, version: null, resultId, items: cached.items };
  }
}
