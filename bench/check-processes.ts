// The processes the `handshake check` benchmarks run, each measured from outside (bench/usage-at-exit.ts):
// `handshake serve` (what `npm start` serves) as the backend, and a node program under test (the CLI's
// `check`, or the bare client baseline), with its CPU time and peak memory.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');
const PRELOAD = path.resolve(__dirname, 'usage-at-exit.js');

export const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'handshake-check-bench-'));
process.on('exit', () => fs.rmSync(workspace, { recursive: true, force: true }));
export const SECRET = crypto.randomBytes(32).toString('base64url');
const env = { PATH: process.env.PATH, HOME: workspace, XDG_STATE_HOME: workspace, NO_COLOR: '1', HANDSHAKE_JWT_SECRET: SECRET };

export interface Usage { cpuMicros: number; maxRssKiB: number }

let measured = 0;

function measuredSpawn(args: string[]): { child: ChildProcess; usage: () => Usage } {
  const file = path.join(workspace, `usage-${++measured}.json`);
  const child = spawn(process.execPath, ['-r', PRELOAD, ...args], { cwd: workspace, env: { ...env, BENCH_USAGE_FILE: file }, stdio: ['ignore', 'pipe', 'inherit'] });
  return { child, usage: () => JSON.parse(fs.readFileSync(file, 'utf8')) as Usage };
}

export interface Serve { wsUrl: string; peakConnections(): number; stop(): Promise<Usage> }

/** `handshake serve --port 0 --json`; its activity log (a JSON line per open and close) gives the peak of open connections. */
export async function startServe(): Promise<Serve> {
  const { child, usage } = measuredSpawn([CLI, 'serve', '--port', '0', '--json']);
  const lines = readline.createInterface({ input: child.stdout! });
  let open = 0;
  let peak = 0;
  const first = new Promise<string>((resolve) => lines.once('line', resolve));
  lines.on('line', (line) => {
    if (line.includes('"connection_opened"')) peak = Math.max(peak, ++open);
    else if (line.includes('"connection_closed"')) open--;
  });
  const { wsUrl } = JSON.parse(await first) as { wsUrl: string };
  return {
    wsUrl,
    peakConnections: () => peak,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
      return usage();
    },
  };
}

/** Runs node with these arguments to its end: exit code, standard output, CPU time and peak memory. */
export async function runMeasured(args: string[]): Promise<{ code: number; stdout: string; usage: Usage }> {
  const { child, usage } = measuredSpawn(args);
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code: code ?? 1, stdout, usage: usage() };
}

/** The open-files limit this shell gives its children (each socket is one). */
export function openFilesLimit(): number {
  const text = fs.readFileSync('/proc/self/limits', 'utf8');
  return Number(/Max open files\s+(\d+)/.exec(text)?.[1] ?? 1024);
}
