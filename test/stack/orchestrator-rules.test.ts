// The orchestrator's rules without an engine: when a depends_on condition is met, when a started service has
// settled, which services an `up` touches, how a blocked chain reads, and which Compose CLI is found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerState } from '../../$shared/protocol';
import { loadComposeProject } from '../../server/stack/compose';
import { conditionVerdict, settledVerdict } from '../../server/stack/orchestrator/conditions';
import { blockedChains, targetServices } from '../../server/stack/orchestrator/targets';
import { detectComposeCli, explainFailure } from '../../server/stack/orchestrator';
import { FIXTURE_DIR } from '../fixtures/stack/fixture';

const project = loadComposeProject(FIXTURE_DIR, undefined, { PATH: process.env.PATH, COMPOSE_PROJECT_NAME: 'rules' });
const running = (health: ContainerState['health'] = 'none'): ContainerState => ({ status: 'running', health });
const exited = (exitCode: number): ContainerState => ({ status: 'exited', exitCode, health: 'none' });

test('service_started: running or exited 0 is met; exited non-zero fails; absent waits', () => {
  assert.equal(conditionVerdict('service_started', running()).kind, 'met');
  assert.equal(conditionVerdict('service_started', exited(0)).kind, 'met');
  assert.deepEqual(conditionVerdict('service_started', exited(127)), { kind: 'failed', reason: 'exited with code 127 (command not found or a shared library missing)' });
  assert.equal(conditionVerdict('service_started', undefined).kind, 'wait');
  assert.equal(conditionVerdict('service_started', { status: 'created', health: 'none' }).kind, 'wait');
});

test('service_healthy: starting is pending, never met; unhealthy fails with the health output', () => {
  assert.deepEqual(conditionVerdict('service_healthy', running('starting')), { kind: 'wait', why: 'health: starting' });
  assert.equal(conditionVerdict('service_healthy', running('healthy')).kind, 'met');
  assert.deepEqual(conditionVerdict('service_healthy', { ...running('unhealthy'), healthOutput: 'wget: server returned error: HTTP/1.1 404 Not Found' }),
    { kind: 'failed', reason: 'unhealthy: wget: server returned error: HTTP/1.1 404 Not Found' });
  assert.match((conditionVerdict('service_healthy', exited(1)) as { reason: string }).reason, /exited with code 1 .* before it was healthy/);
});

test('service_completed_successfully: running waits, exit 0 is met, any other code fails', () => {
  assert.deepEqual(conditionVerdict('service_completed_successfully', running()), { kind: 'wait', why: 'still running' });
  assert.equal(conditionVerdict('service_completed_successfully', exited(0)).kind, 'met');
  assert.equal(conditionVerdict('service_completed_successfully', exited(1)).kind, 'failed');
  assert.equal(conditionVerdict('service_completed_successfully', { status: 'dead', health: 'none' }).kind, 'failed');
});

test('settled: a job when it exits 0, a service with a healthcheck when healthy, else when running', () => {
  assert.equal(settledVerdict(project, 'migrate', running()).kind, 'wait', 'backend waits for migrate to complete: it is a job');
  assert.equal(settledVerdict(project, 'migrate', exited(0)).kind, 'met');
  assert.equal(settledVerdict(project, 'db', running('starting')).kind, 'wait');
  assert.equal(settledVerdict(project, 'db', running('healthy')).kind, 'met');
  assert.equal(settledVerdict(project, 'backend', exited(127)).kind, 'failed');
});

test('targets: a service with its dependencies, or alone with --no-deps; an unknown name lists the services', () => {
  assert.deepEqual(targetServices(project, ['backend'], false), ['db', 'migrate', 'auth', 'backend']);
  assert.deepEqual(targetServices(project, ['auth'], false), ['db', 'auth']);
  assert.deepEqual(targetServices(project, ['backend'], true), ['backend']);
  assert.deepEqual(targetServices(project, [], true), ['db', 'migrate', 'auth', 'backend']);
  assert.throws(() => targetServices(project, ['nope'], false), /no service named nope \(services: db, migrate, auth, backend\)/);
});

test('a blocked chain reads from the service down to the failure', () => {
  assert.deepEqual(blockedChains(project, ['backend', 'auth'], 'migrate'), [
    { service: 'backend', chain: ['backend', 'migrate'] },
    { service: 'auth', chain: ['auth'] },
  ]);
  assert.deepEqual(blockedChains(project, ['backend'], 'db')[0]?.chain, ['backend', 'migrate', 'db']);
  const lines = explainFailure({ ok: false, settled: ['db', 'auth'], elapsedMs: 1,
    failure: { service: 'db', reason: 'exited with code 1 (general error)', exitCode: 1, firstErrorLine: 'FATAL: data directory has wrong ownership' },
    blocked: blockedChains(project, ['migrate', 'backend'], 'db') });
  assert.deepEqual(lines, [
    'db failed: exited with code 1 (general error)',
    '  first error line: FATAL: data directory has wrong ownership',
    'migrate not started: blocked by db (failed)',
    'backend not started: blocked by migrate, which waits for db (failed)',
  ]);
});

test('Compose CLI: v2 when the docker plugin answers, else v1 found on PATH', async () => {
  const cli = await detectComposeCli({ ...process.env, PATH: '/usr/bin:/bin' });
  // The CI engine (scripts/docker-engine.sh) has v1 only; a machine with the v2 plugin must pick v2.
  assert.deepEqual(cli.command, cli.kind === 'v2' ? ['docker', 'compose'] : ['/usr/bin/docker-compose']);
  await assert.rejects(detectComposeCli({ ...process.env, PATH: '/nonexistent' }),
    /no Docker Compose CLI found: tried `docker compose version`.*docker-compose: not found on PATH/);
});
