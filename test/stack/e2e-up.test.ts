// End to end on a real engine: `handshake up` starts the fixture stack in dependency order, honouring
// service_started, service_healthy and service_completed_successfully; then stop, up --no-deps, restart,
// logs (with --follow ended by Ctrl-C), and a backend whose health turns unhealthy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type Docker from 'dockerode';
import { requireDocker } from '../support/docker';
import { fixtureStack, type FixtureStack } from '../fixtures/stack/fixture';
import { containersOf, handshake, jsonLines, spawnHandshake, waitForContainer } from './e2e-support';

let stack: FixtureStack;
let docker: Docker | undefined;

before(async () => {
  stack = await fixtureStack('e2e-up');
});
after(async () => {
  await stack.down();
});

test('up starts every service in dependency order and exits 0 once all are ready', async (t) => {
  docker = await requireDocker(t);
  if (!docker) return;
  const run = await handshake(stack, ['up', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const lines = jsonLines(run.stdout);
  const at = (service: string, phase: string) => {
    const i = lines.findIndex((l) => l.type === 'progress' && l.service === service && l.phase === phase);
    assert.ok(i >= 0, `no ${phase} event for ${service}:\n${run.stdout}`);
    return i;
  };
  // Each condition of the fixture's depends_on, as an order of events.
  assert.ok(at('db', 'healthy') < at('migrate', 'creating'), 'migrate waits for db service_healthy');
  assert.ok(at('db', 'starting') < at('auth', 'creating'), 'auth waits for db service_started');
  assert.ok(at('migrate', 'completed') < at('backend', 'creating'), 'backend waits for migrate service_completed_successfully');
  assert.ok(at('db', 'healthy') < at('backend', 'creating') && at('auth', 'starting') < at('backend', 'creating'));
  assert.ok(at('backend', 'healthy') > at('backend', 'starting'));
  const result = lines.at(-1) as { type: string; ok: boolean; settled: string[] };
  assert.equal(result.type, 'result');
  assert.equal(result.ok, true);
  assert.deepEqual([...result.settled].sort(), ['auth', 'backend', 'db', 'migrate']);
  const backend = await waitForContainer(docker, stack, 'backend', (i) => i.State.Running, 1000);
  assert.equal(backend.State.Health?.Status, 'healthy');

  // The same workspace read by `status` (when the verb is there): everything ready means exit 0.
  const help = await handshake(stack, ['--help']);
  if (/^\s+status\s/m.test(help.stdout)) {
    const status = await handshake(stack, ['status']);
    assert.equal(status.code, 0, `status after up:\n${status.stdout}${status.stderr}`);
  }
});

test('up again is a no-op that still reports every service ready', async (t) => {
  if (!docker) return t.skip('needs the first test');
  const run = await handshake(stack, ['up']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /up: 4 service\(s\) ready/);
});

test('stop keeps containers; up --no-deps starts one service alone', async (t) => {
  if (!docker) return t.skip('needs the first test');
  const stopped = await handshake(stack, ['stop']);
  assert.equal(stopped.code, 0, stopped.stderr);
  for (const service of ['db', 'auth', 'backend']) {
    const [c] = await containersOf(docker, stack, service);
    assert.equal(c?.State, 'exited', `${service} is kept, stopped`);
  }
  const run = await handshake(stack, ['up', 'auth', '--no-deps']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^auth\s+healthy/m);
  assert.doesNotMatch(run.stdout, /^db\s/m, 'db is not touched with --no-deps');
  assert.equal((await containersOf(docker, stack, 'db'))[0]?.State, 'exited');
  assert.equal((await containersOf(docker, stack, 'auth'))[0]?.State, 'running');
});

test('up SERVICE --stepwise brings its dependencies first, one compose step each; restart waits until healthy again', async (t) => {
  if (!docker) return t.skip('needs the first test');
  const run = await handshake(stack, ['up', 'backend', '--stepwise']);
  assert.equal(run.code, 0, run.stderr);
  const order = run.stdout.split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' '));
  assert.ok(order.indexOf('db healthy') < order.indexOf('migrate creating'), run.stdout);
  assert.ok(order.indexOf('migrate completed') < order.indexOf('backend creating'), run.stdout);
  assert.match(run.stdout, /^backend\s+healthy/m);
  const before = await waitForContainer(docker, stack, 'auth', (i) => i.State.Running, 1000);
  const restarted = await handshake(stack, ['restart', 'auth']);
  assert.equal(restarted.code, 0, restarted.stderr);
  assert.match(restarted.stdout, /^auth\s+healthy/m);
  const now = await waitForContainer(docker, stack, 'auth', (i) => i.State.Health?.Status === 'healthy', 1000);
  assert.notEqual(now.State.StartedAt, before.State.StartedAt, 'the container was restarted');
});

test('logs prints a service\'s output; --follow streams until Ctrl-C and exits 0', async (t) => {
  if (!docker) return t.skip('needs the first test');
  const run = await handshake(stack, ['logs', 'migrate', '--tail', '1']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim().split('\n').length, 1, `one line: ${run.stdout}`);
  assert.match(run.stdout, /migrate: 3 migrations applied/);

  const follow = spawnHandshake(stack, ['logs', 'db', '--follow']);
  let seen = '';
  follow.stdout?.on('data', (d: Buffer) => { seen += d.toString(); });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no db log line within 10 s: ${seen}`)), 10_000);
    follow.stdout?.on('data', () => { if (/accepting connections/.test(seen)) { clearTimeout(timer); resolve(); } });
  });
  const code = await new Promise<number | null>((resolve) => {
    follow.on('close', (c) => resolve(c));
    follow.kill('SIGINT');
  });
  assert.equal(code, 0);
});

test('a backend whose health turns unhealthy: up fails naming it with the health check output', async (t) => {
  if (!docker) return t.skip('needs the first test');
  const [backend] = await containersOf(docker, stack, 'backend');
  assert.ok(backend);
  // The fixture's healthcheck prints /tmp/unhealthy and fails while the file exists.
  const exec = await docker.getContainer(backend.Id).exec({ Cmd: ['sh', '-c', 'echo "database connection pool exhausted" > /tmp/unhealthy'] });
  await exec.start({});
  await waitForContainer(docker, stack, 'backend', (i) => i.State.Health?.Status === 'unhealthy', 15_000);
  const run = await handshake(stack, ['up', 'backend', '--no-deps']);
  assert.equal(run.code, 1, run.stdout);
  assert.match(run.stderr, /backend failed: unhealthy/);
  assert.match(run.stderr, /database connection pool exhausted/);

  // `status` (when the verb is there) reads the same from the live state: not ready, with the health output.
  const help = await handshake(stack, ['--help']);
  if (/^\s+status\s/m.test(help.stdout)) {
    const status = await handshake(stack, ['status']);
    assert.equal(status.code, 1);
    assert.match(status.stdout, /^backend\s+failed\s.*unhealthy: database connection pool exhausted/m);
  }
});
