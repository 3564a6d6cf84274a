// Creating, starting and stopping containers stays Docker Compose's job: this finds the Compose CLI that is
// installed (v2 `docker compose`, else v1 `docker-compose`) and runs it against one project.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ComposeProject } from '../compose/model';

export interface ComposeCli {
  /** The executable and the arguments that precede compose's own: ['docker', 'compose'] or ['docker-compose']. */
  command: string[];
  kind: 'v2' | 'v1';
}

/** Neither Compose v2 nor v1 is installed: the orchestrator cannot create containers. */
export class ComposeCliMissingError extends Error {
  constructor(tried: string[]) {
    super('no Docker Compose CLI found: tried `docker compose version` (Compose v2, the Docker CLI plugin, ' +
      'also looked up under DOCKER_CONFIG/cli-plugins) and `docker-compose` on PATH (v1); ' +
      `install Docker Compose v2 (or docker-compose v1) and try again (${tried.join('; ')})`);
  }
}

/** A compose command exited non-zero; its stderr explains why. */
export class ComposeCommandError extends Error {
  constructor(readonly args: string[], readonly code: number | null, readonly stderr: string) {
    super(`\`${args.join(' ')}\` exited ${code ?? 'on a signal'}: ${lastLines(stderr, 3) || '(no output)'}`);
  }
}

export interface ComposeResult { code: number | null; stdout: string; stderr: string }

function runCapture(command: string, args: string[], env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<ComposeResult & { error?: Error }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, maxBuffer: 16 << 20, signal }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr, error: error && typeof error.code !== 'number' ? error : undefined });
    });
  });
}

const detected = new Map<string, Promise<ComposeCli>>();

/** Detects the Compose CLI once per DOCKER_CONFIG/PATH: v2 first (what Docker documents today), then v1. */
export function detectComposeCli(env: NodeJS.ProcessEnv = process.env): Promise<ComposeCli> {
  const key = `${env.PATH}\0${env.DOCKER_CONFIG ?? ''}`;
  let found = detected.get(key);
  if (!found) {
    found = probeComposeCli(env);
    found.catch(() => detected.delete(key));
    detected.set(key, found);
  }
  return found;
}

async function probeComposeCli(env: NodeJS.ProcessEnv): Promise<ComposeCli> {
  // v2 is a Go plugin: asking it is cheap, and the docker CLI finds it under DOCKER_CONFIG itself.
  const v2 = await runCapture('docker', ['compose', 'version', '--short'], env);
  if (v2.code === 0 && v2.stdout.trim()) return { command: ['docker', 'compose'], kind: 'v2' };
  // v1 is Python: running it costs a second on a busy machine, so finding the executable is enough.
  const v1 = findOnPath('docker-compose', env);
  if (v1) return { command: [v1], kind: 'v1' };
  const why = v2.error ? (v2.error as NodeJS.ErrnoException).code ?? v2.error.message : lastLines(v2.stderr || v2.stdout, 1);
  throw new ComposeCliMissingError([`docker compose: ${why}`, `docker-compose: not found on PATH`]);
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here; the next PATH entry
    }
  }
  return undefined;
}

/** The arguments that pin compose to this project: its name, its files and its directory. */
function projectArgs(project: ComposeProject): string[] {
  return ['-p', project.name, ...project.files.flatMap((f) => ['-f', f]), '--project-directory', project.workingDir];
}

/**
 * Runs one compose command on the project; resolves with its output, rejects with ComposeCommandError.
 * Aborting the signal stops compose (SIGTERM): what it created so far stays.
 */
export async function runCompose(cli: ComposeCli, project: ComposeProject, args: string[], env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<ComposeResult> {
  const full = [...cli.command.slice(1), ...projectArgs(project), ...args];
  const r = await runCapture(cli.command[0] as string, full, env, signal);
  if (r.error) throw r.error;
  if (r.code !== 0) throw new ComposeCommandError([...cli.command, ...args], r.code, r.stderr);
  return r;
}

/** Starts a long-running compose command (logs --follow) with its output passed through to the caller. */
export function spawnCompose(cli: ComposeCli, project: ComposeProject, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(cli.command[0] as string, [...cli.command.slice(1), ...projectArgs(project), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
