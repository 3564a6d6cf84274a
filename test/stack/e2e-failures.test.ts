// End to end on a real engine: `handshake up` on the fixture's failing variants stops at the first failure,
// names the failed service with its exit code and first error line, and says what it blocked; and the
// errors people meet before any container moves (no compose file, no engine, no Compose CLI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectComposeCli } from '../../server/stack/orchestrator';
import { requireDocker } from '../support/docker';
import { fixtureStack } from '../fixtures/stack/fixture';
import { containersOf, handshake } from './e2e-support';

test('a failing migration job: up exits 1 naming migrate and its first error line; backend is never created', async (t) => {
  const docker = await requireDocker(t);
  if (!docker) return;
  const stack = await fixtureStack('e2e-migrate', 'migrate-fails');
  try {
    const run = await handshake(stack, ['up']);
    assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /^migrate\s+failed\s+exited with code 1/m);
    assert.match(run.stdout, /^backend\s+blocked\s+by migrate/m);
    assert.match(run.stderr, /^migrate failed: exited with code 1/m);
    assert.match(run.stderr, /first error line: ImportError: No module named 'psycopg2'/);
    assert.match(run.stderr, /^backend not started: blocked by migrate/m);
    // Compose v1 creates a container when it starts it; v2 creates them all first, and never starts this one.
    const backend = await containersOf(docker, stack, 'backend');
    if ((await detectComposeCli(stack.env)).kind === 'v1') assert.equal(backend.length, 0, 'backend was never created');
    assert.ok(backend.every((c) => c.State === 'created'), 'backend was never started');
    assert.equal((await containersOf(docker, stack, 'db'))[0]?.State, 'running', 'what started before the failure keeps running');

    // `why` tells the same story from the live state, with the symptom clients meet: the WebSocket refused.
    const why = await handshake(stack, ['why', 'backend']);
    assert.equal(why.code, 1);
    assert.match(why.stdout, /^backend is blocked by migrate/m);
    assert.match(why.stdout, /ImportError: No module named 'psycopg2'/);
    assert.match(why.stdout, /^probe: .*ws:\/\/127\.0\.0\.1:\d+\/ws.*refused/im);
  } finally {
    await stack.down();
  }
});

test('an image missing a shared library: up exits 1 with exit code 127 and the loader\'s line', async (t) => {
  const docker = await requireDocker(t);
  if (!docker) return;
  const stack = await fixtureStack('e2e-lib', 'missing-library');
  try {
    const run = await handshake(stack, ['up', '--json']);
    assert.equal(run.code, 1, run.stderr);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as { ok: boolean; failure: { service: string; exitCode: number; firstErrorLine: string }; settled: string[] };
    assert.equal(result.ok, false);
    assert.equal(result.failure.service, 'backend');
    assert.equal(result.failure.exitCode, 127);
    assert.match(result.failure.firstErrorLine, /error while loading shared libraries: libpq\.so\.5: cannot open shared object file/);
    assert.deepEqual([...result.settled].sort(), ['auth', 'db', 'migrate']);

    // Restarting it does not help, and restart says so the same way.
    const restarted = await handshake(stack, ['restart', 'backend']);
    assert.equal(restarted.code, 1, restarted.stdout);
    assert.match(restarted.stderr, /^backend failed: exited with code 127/m);
    assert.match(restarted.stderr, /first error line: .*libpq\.so\.5/);
  } finally {
    await stack.down();
  }
});

test('no compose file: a clear message and exit 2', async (t) => {
  const stack = await fixtureStack('e2e-nofile');
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-nocompose-'));
  t.after(() => fs.rmSync(empty, { recursive: true, force: true }));
  const { COMPOSE_FILE: _ignored, ...env } = stack.env;
  const run = await handshake({ ...stack, dir: empty, env }, ['up']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /handshake up: compose error: .*no compose file found/);
});

test('engine unreachable: exit 1 naming the socket tried, within seconds', async () => {
  const stack = await fixtureStack('e2e-noengine');
  const socket = path.join(os.tmpdir(), `hs-no-engine-${process.pid}.sock`);
  const began = Date.now();
  for (const verb of [['up'], ['stop']]) {
    const run = await handshake({ ...stack, env: { ...stack.env, DOCKER_HOST: `unix://${socket}` } }, verb);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`Docker Engine unreachable at DOCKER_HOST=unix://${socket.replace(/[.]/g, '\\.')}`));
  }
  assert.ok(Date.now() - began < 10_000);
});

test('no Compose CLI: exit 1 naming both docker compose and docker-compose', async (t) => {
  const docker = await requireDocker(t);
  if (!docker) return;
  const stack = await fixtureStack('e2e-nocli');
  const run = await handshake({ ...stack, env: { ...stack.env, PATH: '/nonexistent' } }, ['up']);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /no Docker Compose CLI found: tried `docker compose version`.*`docker-compose` on PATH/);
  assert.equal((await containersOf(docker, stack, 'db')).length, 0);
});
