// Findings for open documents: one debounced analysis per burst of edits, cached by document version and
// rule generation, so a diagnostic pull, a code-action request and a push all share one result.
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSED_LANGUAGES } from '../../../$shared/protocol';
import type { Finding } from '../finding';
import { grammarOf } from '../grammars';
import type { DiagnosticsSession } from './session';

export interface DocumentAnalysis {
  version: number;
  /** Bumped when the rules change; a result from older rules is stale whatever the version. */
  generation: number;
  findings: Finding[];
}

interface Pending {
  timer?: NodeJS.Timeout;
  done: Promise<void>;
  resolve: () => void;
}

export interface DocumentAnalysesOptions {
  /** Quiet time after the last edit before re-analysing. */
  delayMs: number;
  /** Each finished analysis, e.g. to push diagnostics to a client that does not pull. */
  onAnalyzed?(uri: string, analysis: DocumentAnalysis): void;
}

export class DocumentAnalyses {
  private readonly results = new Map<string, DocumentAnalysis>();
  private readonly running = new Map<string, { version: number; generation: number; promise: Promise<DocumentAnalysis> }>();
  private readonly pending = new Map<string, Pending>();
  /** Documents analysed and not closed since: their parse worker keeps each one's tree for the next keystroke. */
  private readonly open = new Set<string>();

  constructor(private readonly session: DiagnosticsSession, private readonly options: DocumentAnalysesOptions) {}

  /** An edit arrived: (re)start the quiet-time timer; requests made meanwhile wait for it. */
  schedule(document: TextDocument): void {
    const entry = this.pending.get(document.uri) ?? newPending();
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      this.pending.delete(document.uri);
      // Nothing may escape a timer callback: an unhandled rejection would end the daemon.
      this.run(document)
        .catch((e: unknown) => this.session.logError(`handshake: re-diagnosis of ${document.uri} failed: ${String(e)}`))
        .finally(() => entry.resolve());
    }, this.options.delayMs);
    this.pending.set(document.uri, entry);
  }

  /** The findings for the document as it is now (TextDocuments updates documents in place). */
  async findings(document: TextDocument): Promise<Finding[]> {
    for (;;) {
      const done = this.results.get(document.uri);
      if (done && done.version === document.version && done.generation === this.session.generation) return done.findings;
      const waiting = this.pending.get(document.uri);
      if (!waiting) return (await this.run(document)).findings;
      await waiting.done;
    }
  }

  /** The document closed: drop its timer, result and syntax tree. */
  forget(uri: string): void {
    const waiting = this.pending.get(uri);
    if (waiting) {
      clearTimeout(waiting.timer);
      waiting.resolve();
    }
    this.pending.delete(uri);
    this.results.delete(uri);
    if (this.open.delete(uri)) this.session.forget(uri);
  }

  dispose(): void {
    for (const uri of new Set([...this.pending.keys(), ...this.open])) this.forget(uri);
  }

  private run(document: TextDocument): Promise<DocumentAnalysis> {
    const { uri, version } = document;
    const generation = this.session.generation;
    const same = this.running.get(uri);
    if (same && same.version === version && same.generation === generation) return same.promise;
    this.open.add(uri);
    const promise = this.session.analyze(analysisPathOf(document), { uri, text: document.getText() }).then((findings) => {
      const analysis: DocumentAnalysis = { version, generation, findings };
      if (this.running.get(uri)?.promise === promise) this.running.delete(uri);
      const previous = this.results.get(uri);
      // A slow run must not overwrite the result of a newer edit that finished first, nor revive a closed document.
      const newest = !previous || previous.version <= version || previous.generation < generation;
      if (newest && this.open.has(uri)) {
        this.results.set(uri, analysis);
        this.options.onAnalyzed?.(uri, analysis);
      }
      return analysis;
    });
    this.running.set(uri, { version, generation, promise });
    return promise;
  }
}

/** The engine picks the grammar by extension; an untitled document (or a script without one) borrows it from its language id. */
function analysisPathOf(document: TextDocument): string {
  const file = document.uri.startsWith('file:') ? fileURLToPath(document.uri) : document.uri;
  return grammarOf(file) ? file : `${file}${DIAGNOSED_LANGUAGES[document.languageId] ?? ''}`;
}

function newPending(): Pending {
  let resolve = (): void => {};
  const done = new Promise<void>((r) => { resolve = r; });
  return { done, resolve };
}
