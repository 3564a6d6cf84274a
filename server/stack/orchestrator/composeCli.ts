// Creating, starting and stopping containers stays Docker Compose's job: this finds the Compose CLI that is
// installed (v2 `docker compose`, else v1 `docker-compose`) and runs it against one project.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import type { ComposeProject } from '../compose/model';

export interface ComposeCli {
  /** The executable and the arguments that precede compose's own: ['docker', 'compose'] or ['docker-compose']. */
  command: string[];
  version: string;
  kind: 'v2' | 'v1';
}

/** Neither Compose v2 nor v1 is installed: the orchestrator cannot create containers. */
export class ComposeCliMissingError extends Error {
  constructor(tried: string[]) {
    super('no Docker Compose CLI found: tried `docker compose version` (Compose v2, the Docker CLI plugin, ' +
      'also looked up under DOCKER_CONFIG/cli-plugins) and `docker-compose version` (v1); ' +
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

function runCapture(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ComposeResult & { error?: Error }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
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
  const candidates: { command: string[]; kind: ComposeCli['kind'] }[] = [
    { command: ['docker', 'compose'], kind: 'v2' },
    { command: ['docker-compose'], kind: 'v1' },
  ];
  const tried: string[] = [];
  for (const c of candidates) {
    // `version --short` prints just the number on both generations; a missing plugin exits non-zero.
    const r = await runCapture(c.command[0] as string, [...c.command.slice(1), 'version', '--short'], env);
    if (r.code === 0 && r.stdout.trim()) return { command: c.command, version: r.stdout.trim(), kind: c.kind };
    tried.push(`${c.command.join(' ')}: ${r.error ? (r.error as NodeJS.ErrnoException).code ?? r.error.message : lastLines(r.stderr || r.stdout, 1)}`);
  }
  throw new ComposeCliMissingError(tried);
}

/** The arguments that pin compose to this project: its name, its files and its directory. */
export function projectArgs(project: ComposeProject): string[] {
  return ['-p', project.name, ...project.files.flatMap((f) => ['-f', f]), '--project-directory', project.workingDir];
}

/** Runs one compose command on the project; resolves with its output, rejects with ComposeCommandError. */
export async function runCompose(cli: ComposeCli, project: ComposeProject, args: string[], env: NodeJS.ProcessEnv): Promise<ComposeResult> {
  const full = [...cli.command.slice(1), ...projectArgs(project), ...args];
  const r = await runCapture(cli.command[0] as string, full, env);
  if (r.error) throw r.error;
  if (r.code !== 0) throw new ComposeCommandError([...cli.command, ...args], r.code, r.stderr);
  return r;
}

/** Starts a long-running compose command (logs --follow) with its output passed through to the caller. */
export function spawnCompose(cli: ComposeCli, project: ComposeProject, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(cli.command[0] as string, [...cli.command.slice(1), ...projectArgs(project), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
