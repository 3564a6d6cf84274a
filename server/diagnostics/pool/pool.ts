// The parse workers: a small pool of worker threads, sized to the machine, shared by the language server and
// `lint` in one process. Each worker runs one job at a time. An open document's jobs always go to the same
// worker (it keeps the document's tree) and go before any file of a workspace scan or a lint run, so the
// file being edited gets its diagnostics first. Idle workers do not keep the process alive.
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Finding } from '../finding';
import type { DocumentJob, FileResult, FilesJob, Job, Reply } from './jobs';

interface Task { job: Job; resolve(results: FileResult[]): void; reject(error: Error): void }

interface Slot {
  worker: Worker;
  running?: Task;
  /** The worker started running: a later death is replaced, a failure to start is not repeated. */
  online?: boolean;
  /** Jobs only this worker may run: its open documents'. */
  pinned: Task[];
}

/**
 * Parsing is CPU-bound: one worker per core but one, four at most (each holds its own wasm heap). The
 * process's own thread keeps a core: the daemon's serves requests, lint's reads and pre-filters the tree
 * (measured on two cores: lint with one worker 0.88 s, with two 0.94 s, the second worker's start and
 * warm-up costing more than it parses).
 */
function poolSize(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

/** The bundle (dist/parse-worker.js) sits beside dist/daemon.js and dist/cli.js; transpiled, beside this file. */
export const WORKER_FILE = path.join(__dirname, 'parse-worker.js');

export class ParsePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  /** Why no worker can start (its file missing): every job fails with it. */
  private broken: Error | undefined;

  /** Workers start with the first job: a lint of a tree with nothing to parse, or a daemon with no Python open, pays nothing. */
  constructor(private readonly size: number) {}

  /** Files' findings, one result per file (lint, the workspace scan): taken after every waiting document job. */
  analyzeFiles(job: Omit<FilesJob, 'kind'>): Promise<FileResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { kind: 'files', ...job }, resolve, reject });
      this.pump();
    });
  }

  /** An open document's findings, re-parsed incrementally in the worker that holds its tree. */
  async analyzeDocument(job: Omit<DocumentJob, 'kind'>): Promise<Finding[]> {
    return (await this.pinned({ kind: 'document', ...job }))[0]!.findings;
  }

  /** The document closed: its worker frees the tree. */
  forgetDocument(uri: string): void {
    if (this.slots.length === 0) return; // no worker ever held it
    this.pinned({ kind: 'forget', uri }).catch(() => undefined);
  }

  private pinned(job: DocumentJob | { kind: 'forget'; uri: string }): Promise<FileResult[]> {
    this.start();
    const slot = this.slots[hash(job.uri) % this.size]!;
    return new Promise((resolve, reject) => {
      slot.pinned.push({ job, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.broken) {
      for (const task of [...this.queue.splice(0), ...this.slots.flatMap((s) => s.pinned.splice(0))]) task.reject(this.broken);
      return;
    }
    this.start();
    for (const slot of this.slots) {
      if (slot.running) continue;
      const task = slot.pinned.shift() ?? this.queue.shift();
      if (!task) continue;
      slot.running = task;
      slot.worker.ref(); // a job in flight keeps the process alive until it answers
      slot.worker.postMessage({ id: ++this.nextId, job: task.job });
    }
  }

  /** Starts the workers ahead of the first job, so they boot while the caller prepares it. */
  start(): void {
    while (this.slots.length < this.size) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_FILE);
    const slot: Slot = { worker, pinned: [] };
    worker.on('message', (reply: Reply) => {
      const task = slot.running;
      slot.running = undefined;
      worker.unref();
      if ('error' in reply) task?.reject(new Error(reply.error));
      else task?.resolve(reply.results);
      this.pump();
    });
    // A worker that dies (out of memory, a wasm trap) fails its job and is replaced; documents it held
    // are parsed afresh by the new one. One that cannot even start (its file missing) would fail again:
    // the pool stops there, every job failing with the reason, rather than respawning in a loop.
    worker.on('online', () => { slot.online = true; });
    worker.on('error', (e) => this.replace(slot, e));
    worker.on('exit', (code) => this.replace(slot, new Error(`a parse worker exited with code ${code}`)));
    worker.unref(); // after the listeners: adding a 'message' listener refs the worker again
    return slot;
  }

  private replace(slot: Slot, error: Error): void {
    slot.running?.reject(error);
    slot.running = undefined;
    const index = this.slots.indexOf(slot);
    if (index === -1 || this.broken) return;
    if (!slot.online) {
      this.broken = new Error(`the parse workers cannot start: ${error.message}`);
      this.pump();
      return;
    }
    const fresh = this.spawn();
    fresh.pinned = slot.pinned;
    this.slots[index] = fresh;
    this.pump();
  }
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h;
}

let shared: ParsePool | undefined;

/** The process's one pool, shared by the language server and `lint`; its workers start on first use. */
export function sharedPool(): ParsePool {
  shared ??= new ParsePool(poolSize());
  return shared;
}
