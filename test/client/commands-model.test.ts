// What the stack commands show, computed without VS Code: progress lines, the closing notice with the failed
// service and its cause, which services a command offers first, and which service a tree item stands for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceState, StackCommandResult, StackState } from '../../$shared/protocol';
import { progressMessage, resultNotice, serviceOfNode, servicesFor } from '../../client/stack/commands-model';
import { stackTree } from '../../client/stack/stack-tree';

const result = (over: Partial<StackCommandResult>): StackCommandResult => ({ ok: true, settled: [], blocked: [], elapsedMs: 4200, ...over });

test('a failed start names the service, its cause and what it blocked, and offers Why?', () => {
  const notice = resultNotice('up', [], result({
    ok: false, failure: { service: 'migrate', reason: 'exited with code 1 (general error)', firstErrorLine: "ImportError: No module named 'psycopg2'" },
    blocked: [{ service: 'backend', chain: ['backend', 'migrate'] }],
  }));
  assert.equal(notice.severity, 'error');
  assert.equal(notice.service, 'migrate');
  assert.equal(notice.message, "Handshake: migrate failed: exited with code 1 (general error): ImportError: No module named 'psycopg2'. Blocked: backend.");
});

test('success, cancellation and an operation that could not run each read differently', () => {
  assert.equal(resultNotice('up', [], result({ settled: ['db', 'auth'] })).message, 'Handshake: 2 service(s) ready in 4.2 s.');
  assert.equal(resultNotice('stop', [], result({})).message, 'Handshake: the stack stopped in 4.2 s.');
  const cancelled = resultNotice('up', ['backend'], result({ ok: false, cancelled: true }));
  assert.equal(cancelled.severity, 'warning');
  assert.match(cancelled.message, /stopped waiting for backend; containers were left as they are/);
  const unreachable = resultNotice('restart', ['db'], result({ ok: false, error: 'Docker Engine unreachable at unix:///var/run/docker.sock' }));
  assert.equal(unreachable.service, undefined, 'no service to ask why about');
  assert.match(unreachable.message, /could not restart db: Docker Engine unreachable/);
});

test('progress lines carry the phase and the detail', () => {
  assert.equal(progressMessage({ service: 'backend', phase: 'waiting', detail: 'needs migrate completed successfully (still running)', elapsedMs: 10 }),
    'backend: waiting — needs migrate completed successfully (still running)');
  assert.equal(progressMessage({ service: 'db', phase: 'healthy', elapsedMs: 10 }), 'db: healthy');
});

function svc(name: string, readiness: ServiceState['readiness'], status: ServiceState['container']['status']): ServiceState {
  return { name, readiness, summary: '', container: { status, health: 'none' }, probes: [], blockedBy: [] };
}

test('each command offers the services it would change first, and tree items resolve to their service', () => {
  const state: StackState = { engine: { status: 'connected', socket: 's' }, targets: [], ready: false, updatedAt: '',
    services: [svc('db', 'ready', 'running'), svc('migrate', 'failed', 'exited'), svc('backend', 'absent', 'absent')] };
  assert.deepEqual(servicesFor('up', state), ['migrate', 'backend', 'db']);
  assert.deepEqual(servicesFor('stop', state), ['db', 'migrate', 'backend']);
  assert.deepEqual(servicesFor('logs', state), ['db', 'migrate', 'backend']);
  assert.deepEqual(servicesFor('why', undefined), []);
  const [db] = stackTree(state);
  assert.equal(serviceOfNode(db), 'db');
  assert.equal(serviceOfNode(db?.children?.[0]), 'db', 'a child row (container, probe) acts on its service');
  assert.equal(serviceOfNode({ id: 'target:staging' }), undefined);
  assert.equal(serviceOfNode('db'), undefined);
});
