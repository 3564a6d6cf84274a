// A parse worker's entry (bundled as dist/parse-worker.js): runs one job at a time from the pool, so
// parsing never holds the daemon's event loop. Jobs of one worker run in order, which keeps each open
// document's incremental tree consistent.
import { parentPort } from 'node:worker_threads';
import { runJob, type Job, type Reply } from './jobs';

const port = parentPort;
if (!port) throw new Error('parse-worker.js runs as a worker thread');
port.on('message', ({ id, job }: { id: number; job: Job }) => {
  runJob(job).then(
    (results) => port.postMessage({ id, results } satisfies Reply),
    (e: unknown) => port.postMessage({ id, error: (e as Error).stack ?? String(e) } satisfies Reply),
  );
});
