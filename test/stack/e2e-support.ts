// Runs the real `handshake` CLI (dist/cli.js) in a stack's folder (the fixture's, the tiny stack's or any
// workspace) with its environment, and reads containers the way a user would check them: through the engine, by compose labels.
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { FixtureStack } from '../fixtures/stack/fixture';

export const CLI = path.resolve(__dirname, '../../..', 'dist/cli.js');

export interface CliRun { code: number; stdout: string; stderr: string }

/** Where the CLI runs: a workspace folder and the environment to give it. */
export type CliWorkspace = Pick<FixtureStack, 'dir' | 'env'>;

export function handshake(stack: CliWorkspace, args: string[], timeoutMs = 90_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: stack.dir, env: stack.env, timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the CLI without waiting for it (logs --follow), for tests that signal it. */
export function spawnHandshake(stack: CliWorkspace, args: string[]): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, [CLI, ...args], { cwd: stack.dir, env: stack.env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The JSON Lines `--json` prints, parsed. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The service's containers in this project, all states. */
export async function containersOf(docker: Docker, stack: FixtureStack, service: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${stack.project}`, `com.docker.compose.service=${service}`] } });
}

/** Waits (bounded) until the service's container matches; returns its inspect data. */
export async function waitForContainer(docker: Docker, stack: FixtureStack, service: string,
  ok: (info: Docker.ContainerInspectInfo) => boolean, timeoutMs = 20_000): Promise<Docker.ContainerInspectInfo> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [c] = await containersOf(docker, stack, service);
    const info = c ? await docker.getContainer(c.Id).inspect() : undefined;
    if (info && ok(info)) return info;
    if (Date.now() > deadline) throw new Error(`${service}: condition not met within ${timeoutMs} ms (state ${info?.State.Status}, health ${info?.State.Health?.Status})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
