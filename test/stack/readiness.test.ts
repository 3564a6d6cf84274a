// Readiness as plain functions: container states and probe results in, per-service readiness, blocked-by
// chains down to the root and root causes out; and `why` in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerState, EngineState, ProbeResult } from '../../$shared/protocol';
import type { ComposeProject, ComposeService, DependencyCondition, ProbeSpec } from '../../server/stack/compose/model';
import { computeStackState, stateSignature } from '../../server/stack/readiness/compute';
import { explainService } from '../../server/stack/readiness/explain';

const ENGINE: EngineState = { status: 'connected', socket: '/var/run/docker.sock' };
const NOW = Date.parse('2026-01-01T12:00:00Z');
const LONG_AGO = new Date(NOW - 60_000).toISOString();

function service(name: string, deps: [string, DependencyCondition][] = [], probes: ProbeSpec[] = []): ComposeService {
  return { name, dependsOn: deps.map(([s, condition]) => ({ service: s, condition })), ports: [], environment: {}, profiles: [], probes, file: 'compose.yml', line: 1 };
}

// The real service's shape: db (healthcheck) <- migrate (one-shot) <- backend; auth needs db started.
const PROJECT: ComposeProject = {
  name: 'demo', files: ['compose.yml'], workingDir: '/w', inactive: [], warnings: [],
  services: Object.fromEntries([
    service('db'),
    service('migrate', [['db', 'service_healthy']]),
    service('auth', [['db', 'service_started']]),
    service('backend', [['migrate', 'service_completed_successfully'], ['auth', 'service_started']], [{ type: 'websocket', port: 8002, path: '/ws' }]),
  ].map((s) => [s.name, s])),
};

const running = (extra: Partial<ContainerState> = {}): ContainerState => ({ status: 'running', health: 'none', startedAt: LONG_AGO, ...extra });
const probe = (ok: boolean, detail = 'ok'): ProbeResult => ({ type: 'websocket', target: 'ws://127.0.0.1:8002/ws', ok, detail, durationMs: 3, checkedAt: LONG_AGO });
const compute = (containers: Record<string, ContainerState>, probes: Record<string, ProbeResult[]> = {}) =>
  computeStackState({ engine: ENGINE, project: PROJECT, containers, probes, now: NOW });
const byName = (state: ReturnType<typeof compute>) => Object.fromEntries(state.services.map((s) => [s.name, s]));

test('all ready: the one-shot job that exited 0 satisfies service_completed_successfully', () => {
  const state = compute({
    db: running({ health: 'healthy' }), migrate: { status: 'exited', exitCode: 0, health: 'none' }, auth: running(), backend: running(),
  }, { backend: [probe(true)] });
  assert.equal(state.ready, true);
  assert.deepEqual(state.services.map((s) => `${s.name}:${s.readiness}`), ['db:ready', 'auth:ready', 'migrate:ready', 'backend:ready']);
  assert.equal(byName(state).migrate?.summary, 'completed (exit code 0)');
});

test('migration failed: backend is blocked by migrate with its exit code and first error line as root cause', () => {
  const state = byName(compute({
    db: running({ health: 'healthy' }), auth: running(),
    migrate: { status: 'exited', exitCode: 1, health: 'none', firstErrorLine: "ImportError: No module named 'psycopg2'", lastLogLines: ['Traceback (most recent call last):', "ImportError: No module named 'psycopg2'"] },
  }));
  assert.equal(state.migrate?.readiness, 'failed');
  assert.equal(state.backend?.readiness, 'blocked');
  assert.deepEqual(state.backend?.blockedBy, ['migrate']);
  assert.equal(state.backend?.rootCause?.service, 'migrate');
  assert.equal(state.backend?.rootCause?.exitCode, 1);
  assert.equal(state.backend?.rootCause?.firstErrorLine, "ImportError: No module named 'psycopg2'");
  assert.match(state.backend?.summary ?? '', /^blocked by migrate: migrate exited with code 1/);
});

test('health starting is pending, never ready; the chain goes down to the root', () => {
  const state = byName(compute({ db: running({ health: 'starting' }) }));
  assert.equal(state.db?.readiness, 'pending');
  assert.equal(state.migrate?.readiness, 'blocked');
  assert.deepEqual(state.backend?.blockedBy, ['migrate', 'auth', 'db']);
  assert.equal(state.backend?.rootCause?.service, 'db');
  assert.equal(state.backend?.rootCause?.summary, 'health: starting');
});

test('unhealthy db fails with the health output; a failed root is preferred over a pending one', () => {
  const state = byName(compute({ db: running({ health: 'unhealthy', healthOutput: 'wget: server returned error: HTTP/1.1 404 Not Found\n' }), auth: running({ health: 'starting' }) }));
  assert.equal(state.db?.readiness, 'failed');
  assert.equal(state.db?.summary, 'unhealthy: wget: server returned error: HTTP/1.1 404 Not Found');
  assert.equal(state.backend?.rootCause?.service, 'db');
  assert.match(state.backend?.rootCause?.healthOutput ?? '', /404/);
});

test('probes: failing while young is pending, failing later is failed with the probe detail; exit codes explained', () => {
  const deps = { db: running({ health: 'healthy' }), migrate: { status: 'exited', exitCode: 0, health: 'none' } as ContainerState, auth: running() };
  const refused = probe(false, 'WebSocket handshake to ws://127.0.0.1:8002/ws: connection refused after 2 ms');
  assert.equal(byName(compute({ ...deps, backend: running({ startedAt: new Date(NOW - 1000).toISOString() }) }, { backend: [refused] })).backend?.readiness, 'pending');
  const late = byName(compute({ ...deps, backend: running() }, { backend: [refused] })).backend;
  assert.equal(late?.readiness, 'failed');
  assert.match(late?.summary ?? '', /^probe failed: WebSocket handshake .* connection refused/);
  assert.equal(byName(compute({ ...deps, backend: running() })).backend?.readiness, 'pending', 'probes not run yet');
  const died = byName(compute({ ...deps, backend: { status: 'exited', exitCode: 127, health: 'none' } })).backend;
  assert.equal(died?.summary, 'exited with code 127 (command not found or a shared library missing)');
  const oom = byName(compute({ ...deps, backend: { status: 'exited', exitCode: 137, health: 'none', oomKilled: true } })).backend;
  assert.equal(oom?.summary, 'killed: out of memory (exit code 137)');
  const stopped = byName(compute({ ...deps, backend: { status: 'exited', exitCode: 143, health: 'none', stoppedOnRequest: true } })).backend;
  assert.equal(stopped?.readiness, 'stopped');
});

test('absent stack, unreachable engine and compose errors are never ready', () => {
  const absent = byName(compute({}));
  assert.equal(absent.db?.readiness, 'absent');
  assert.equal(absent.backend?.readiness, 'blocked');
  const down = computeStackState({ engine: { status: 'unreachable', socket: '/nope.sock', error: 'ENOENT' }, project: PROJECT, containers: {}, probes: {} });
  assert.equal(down.ready, false);
  assert.deepEqual(down.services, []);
  const bad = computeStackState({ engine: ENGINE, composeError: 'compose.yml:3: dependency cycle: a -> b -> a', containers: {}, probes: {} });
  assert.equal(bad.ready, false);
  assert.equal(bad.composeError, 'compose.yml:3: dependency cycle: a -> b -> a');
});

test('why: the chain with conditions and the root cause in words', () => {
  const state = compute({
    db: running({ health: 'healthy' }), auth: running(),
    migrate: { status: 'exited', exitCode: 1, health: 'none', firstErrorLine: 'ImportError: boom', lastLogLines: ['Traceback', 'ImportError: boom'] },
  });
  const lines = explainService(state, PROJECT, 'backend');
  assert.equal(lines[0], 'backend is blocked by migrate:');
  assert.match(lines[1] ?? '', /backend waits for migrate to complete successfully; migrate failed: exited with code 1/);
  assert.ok(lines.includes('root cause: migrate exited with code 1 (general error)'));
  assert.ok(lines.includes('first error: ImportError: boom'));
  assert.ok(lines.includes('  | ImportError: boom'));
  const self = explainService(state, PROJECT, 'migrate');
  assert.equal(self[0], 'migrate failed: exited with code 1 (general error)');
  assert.ok(!self.some((l) => l.startsWith('root cause:')), 'its own root cause is said once');
  assert.ok(self.includes('first error: ImportError: boom'));
  assert.deepEqual(explainService(state, PROJECT, 'db'), ['db is ready: healthy']);
  assert.match(explainService(state, PROJECT, 'nope')[0] ?? '', /not a service/);
});

test('state signature: timings alone are no change, a readiness change is', () => {
  const deps = { db: running({ health: 'healthy' }), migrate: { status: 'exited', exitCode: 0, health: 'none' } as ContainerState, auth: running(), backend: running() };
  const slow = { ...probe(true, 'WebSocket handshake to ws://127.0.0.1:8002/ws: open after 40 ms'), durationMs: 40, checkedAt: 'later' };
  const a = compute(deps, { backend: [probe(true, 'WebSocket handshake to ws://127.0.0.1:8002/ws: open after 3 ms')] });
  const b = computeStackState({ engine: ENGINE, project: PROJECT, containers: deps, probes: { backend: [slow] }, now: NOW + 5000 });
  assert.equal(stateSignature(a), stateSignature(b));
  assert.notEqual(stateSignature(a), stateSignature(compute(deps, { backend: [probe(false, 'refused after 1 ms')] })));
});
