// The stack monitor and the status/why verbs against the real Docker Engine, on a tiny stack of our own
// started with docker-compose v1: ready, killed (seen within 1 s from the event stream, not polling),
// unhealthy with the health check's output, and a failed migration blocking the service after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../server/config/config';
import { StackMonitor } from '../../server/stack/monitor';
import { requireDocker } from '../support/docker';
import { handshake } from './e2e-support';
import { serviceOf, tinyStack, waitForState, type TinyStack } from './tiny-stack';

const cli = (stack: TinyStack, args: string[]) => handshake(stack, args, 30_000);

test('monitor: ready stack, a killed container within 1 s, an unhealthy one with its health output', async (t) => {
  const docker = await requireDocker(t);
  if (!docker) return;
  const stack = await tinyStack('live');
  // A long probe interval: whatever changes below is seen through Docker events alone.
  const monitor = new StackMonitor({ workspace: stack.dir, config: loadConfig(stack.dir, stack.env), env: stack.env, probeIntervalMs: 60_000 });
  try {
    await monitor.start();
    await stack.compose('up', '-d');
    const ready = await waitForState(monitor, (s) => s.ready, 20_000, 'all ready');
    assert.deepEqual(ready.services.map((s) => `${s.name}:${s.readiness}`), ['db:ready', 'migrate:ready', 'web:ready']);
    assert.equal(serviceOf(ready, 'web')?.probes[0]?.ok, true);

    const web = serviceOf(ready, 'web')?.container.id as string;
    const killedAt = Date.now();
    await docker.getContainer(web).kill();
    const killed = await waitForState(monitor, (s) => serviceOf(s, 'web')?.readiness === 'failed', 1000, 'web failed after kill');
    const elapsed = Date.now() - killedAt;
    assert.ok(elapsed < 1000, `seen after ${elapsed} ms`);
    assert.match(serviceOf(killed, 'web')?.summary ?? '', /^exited with code 137 \(killed/);
    assert.equal(killed.ready, false);

    // The healthcheck reads the file httpd serves: remove it and db turns unhealthy at the next check.
    const db = serviceOf(killed, 'db')?.container.id as string;
    const exec = await docker.getContainer(db).exec({ Cmd: ['rm', '/tmp/w/health'], AttachStdout: true, AttachStderr: true });
    (await exec.start({})).resume();
    const unhealthy = await waitForState(monitor, (s) => serviceOf(s, 'db')?.readiness === 'failed', 10_000, 'db unhealthy');
    const dbState = serviceOf(unhealthy, 'db');
    assert.match(dbState?.summary ?? '', /^unhealthy: .*404/);
    assert.match(dbState?.rootCause?.healthOutput ?? '', /404/);
  } finally {
    await monitor.stop();
    await stack.down();
  }
});

test('status and why: a failed migration blocks web, with exit code and first error line', async (t) => {
  const docker = await requireDocker(t);
  if (!docker) return;
  const stack = await tinyStack('fail', 1);
  try {
    // compose v1 stops at the failed job and reports it; the state is what we check, not its exit code.
    await stack.compose('up', '-d').catch(() => undefined);
    const status = await cli(stack, ['status']);
    assert.equal(status.code, 1, status.stderr);
    assert.match(status.stdout, /^migrate +failed +exited \(1\) .*exited with code 1 \(general error\); ImportError: No module named 'psycopg2'$/m);
    assert.match(status.stdout, /^web +blocked +absent .*blocked by migrate: migrate exited with code 1/m);
    assert.match(status.stdout, /^db +ready +running +healthy +1\/1 ok/m);
    assert.match(status.stdout, /stack not ready \(1 ready, 1 failed, 1 blocked\)/);

    const json = JSON.parse((await cli(stack, ['status', '--json'])).stdout) as import('../../$shared/protocol').StackState;
    const web = serviceOf(json, 'web');
    assert.deepEqual(web?.blockedBy, ['migrate']);
    assert.equal(web?.rootCause?.exitCode, 1);
    assert.equal(web?.rootCause?.firstErrorLine, "ImportError: No module named 'psycopg2'");

    const why = await cli(stack, ['why', 'web']);
    assert.equal(why.code, 1);
    assert.match(why.stdout, /^web is blocked by migrate:\n {2}web waits for migrate to complete successfully; migrate failed: exited with code 1/);
    assert.match(why.stdout, /^first error: ImportError: No module named 'psycopg2'$/m);
    // stdout and stderr lines written in the same instant may come back in either order.
    assert.match(why.stdout, /^last log lines of migrate:$/m);
    assert.match(why.stdout, /^ {2}\| Traceback \(most recent call last\):$/m);
    assert.match(why.stdout, /^ {2}\| migrating$/m);
    const whyDb = await cli(stack, ['why', 'db']);
    assert.equal(whyDb.code, 0);
    assert.match(whyDb.stdout, /^db is ready: healthy, 1 probe pass$/m);
    const unknown = await cli(stack, ['why', 'nosuch']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no service named nosuch \(services: db, migrate, web\)/);
  } finally {
    await stack.down();
  }
});
