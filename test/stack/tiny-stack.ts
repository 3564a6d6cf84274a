// A tiny compose stack of the stack tests' own, on handshake/busybox:local with host networking:
// db (httpd + healthcheck) <- migrate (one-shot, exit code from MIGRATE_EXIT, a traceback when it fails)
// <- web (httpd serving /health one second after it starts, probed over HTTP: its first probes fail).
// Unique project name and free ports per run; written to a temp folder so discovery, interpolation and
// the CLI all run as a user's would.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { StackState } from '../../$shared/protocol';
import type { StackMonitor } from '../../server/stack/monitor';
import { freePort } from '../fixtures/stack/fixture';
import { tempTree } from '../support/temp-tree';

const run = promisify(execFile);

const COMPOSE = `services:
  db:
    image: handshake/busybox:local
    network_mode: host
    init: true
    command: ["sh", "-c", "mkdir -p /tmp/w && echo '{\\"status\\":\\"ok\\"}' > /tmp/w/health && exec httpd -f -p 127.0.0.1:\${DB_PORT} -h /tmp/w"]
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:\${DB_PORT}/health"]
      interval: 1s
      timeout: 2s
      retries: 1
    x-handshake:
      probes:
        - type: tcp
          port: "\${DB_PORT}"
  migrate:
    image: handshake/busybox:local
    network_mode: host
    command: ["sh", "-c", "echo migrating; if [ \\"\${MIGRATE_EXIT:-0}\\" != 0 ]; then echo 'Traceback (most recent call last):' >&2; echo \\"ImportError: No module named 'psycopg2'\\" >&2; fi; exit \${MIGRATE_EXIT:-0}"]
    depends_on:
      db: { condition: service_healthy }
  web:
    image: handshake/busybox:local
    network_mode: host
    init: true
    command: ["sh", "-c", "sleep 1; mkdir -p /tmp/w && echo '{\\"status\\":\\"healthy\\",\\"v\\":2}' > /tmp/w/health && exec httpd -f -p 127.0.0.1:\${WEB_PORT} -h /tmp/w"]
    depends_on:
      migrate: { condition: service_completed_successfully }
      db: { condition: service_started }
    x-handshake:
      probes:
        - type: http
          port: "\${WEB_PORT}"
          path: /health
`;

export interface TinyStack {
  dir: string;
  project: string;
  env: NodeJS.ProcessEnv;
  /** docker-compose v1 (the reference tool) on this stack; rejects on a non-zero exit. */
  compose(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** Removes the project's containers (never volumes). */
  down(): Promise<void>;
}

export async function tinyStack(label: string, migrateExit = 0): Promise<TinyStack> {
  const project = `hs-b1-${label}-${process.pid}-${Date.now().toString(36)}`;
  const dir = tempTree({ 'docker-compose.yml': COMPOSE }, `${project}-`);
  const env: NodeJS.ProcessEnv = { ...process.env, COMPOSE_PROJECT_NAME: project, DB_PORT: String(await freePort()),
    WEB_PORT: String(await freePort()), MIGRATE_EXIT: String(migrateExit), NO_COLOR: '1' };
  delete env.COMPOSE_FILE;
  const compose = (...args: string[]) => run('/usr/bin/docker-compose', args, { cwd: dir, env, maxBuffer: 8 << 20 });
  return { dir, project, env, compose, down: async () => { await compose('down', '-t', '1').catch(() => undefined); } };
}

/** Resolves with the monitor's state once it satisfies the predicate (checked on every change), or rejects after timeoutMs. */
export function waitForState(monitor: StackMonitor, ok: (state: StackState) => boolean, timeoutMs: number, what: string): Promise<StackState> {
  if (ok(monitor.state)) return Promise.resolve(monitor.state);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      monitor.off('change', check);
      reject(new Error(`${what}: not seen within ${timeoutMs} ms; last state: ${JSON.stringify(monitor.state.services.map((s) => `${s.name}=${s.readiness} (${s.summary})`))} engine ${monitor.state.engine.status}`));
    }, timeoutMs);
    const check = (state: StackState) => {
      if (!ok(state)) return;
      clearTimeout(timer);
      monitor.off('change', check);
      resolve(state);
    };
    monitor.on('change', check);
  });
}

export const serviceOf = (state: StackState, name: string) => state.services.find((s) => s.name === name);
