// The Stack view's content, computed from daemon state without VS Code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceState, StackState } from '../../$shared/protocol';
import { stackStatusText, stackTree } from '../../client/stack/stack-tree';

function service(name: string, over: Partial<ServiceState>): ServiceState {
  return { name, readiness: 'ready', summary: 'running', container: { status: 'running', health: 'none' }, probes: [], blockedBy: [], ...over };
}

function state(over: Partial<StackState>): StackState {
  return { engine: { status: 'connected', socket: '/var/run/docker.sock' }, services: [], targets: [], ready: false, updatedAt: new Date(0).toISOString(), ...over };
}

test('a blocked service names its chain and the root cause of the failed job', () => {
  const migrate = service('migrate', {
    readiness: 'failed', summary: 'exited with code 1',
    container: { status: 'exited', exitCode: 1, health: 'none' },
    rootCause: { service: 'migrate', summary: 'exited with code 1', exitCode: 1, firstErrorLine: "ImportError: No module named 'psycopg2'", lastLogLines: ['Traceback (most recent call last):', "ImportError: No module named 'psycopg2'"] },
  });
  const backend = service('backend', {
    readiness: 'blocked', summary: 'blocked by migrate', container: { status: 'absent', health: 'none' }, blockedBy: ['migrate'],
    rootCause: { service: 'migrate', summary: 'exited with code 1', firstErrorLine: "ImportError: No module named 'psycopg2'" },
    probes: [{ type: 'websocket', target: 'ws://127.0.0.1:8002/ws', ok: false, detail: 'refused: nothing listens on 127.0.0.1:8002', durationMs: 3, checkedAt: '' }],
  });
  const [m, b] = stackTree(state({ services: [migrate, backend] }));
  assert.equal(m?.contextValue, 'service.failed');
  assert.equal(m?.icon, 'error');
  assert.equal(m?.children?.find((c) => c.label === 'container')?.description, 'exited · code 1');
  assert.equal(m?.children?.find((c) => c.label === 'cause')?.children?.length, 2, 'last log lines one click away');
  assert.equal(b?.contextValue, 'service.blocked');
  assert.equal(b?.children?.find((c) => c.label === 'blocked by')?.description, 'migrate');
  assert.match(b?.children?.find((c) => c.label === 'cause (in migrate)')?.description ?? '', /ImportError/);
  assert.match(b?.children?.find((c) => c.label.startsWith('websocket'))?.description ?? '', /refused/);
  const bar = stackStatusText(state({ services: [migrate, backend, service('db', {})] }));
  assert.equal(bar.text, '$(error) Handshake: 1/3 ready · migrate failed');
  assert.equal(bar.background, 'statusBarItem.warningBackground', 'a failed or blocked service: the warning colour');
});

test('an unreachable engine is one node with the socket and what to do', () => {
  const nodes = stackTree(state({ engine: { status: 'unreachable', socket: 'unix:///var/run/docker.sock', error: 'connect ENOENT', hint: 'start Docker' } }));
  assert.equal(nodes.length, 1);
  assert.equal(nodes[0]?.description, 'unix:///var/run/docker.sock');
  assert.match(nodes[0]?.tooltip ?? '', /start Docker/);
  const down = stackStatusText(state({ engine: { status: 'unreachable', socket: 's' } }));
  assert.equal(down.text, '$(debug-disconnect) Handshake: Docker down');
  assert.equal(down.background, 'statusBarItem.errorBackground', 'the engine down: the error colour');
});

test('the compose project is the stack node, with its count and the stack\'s actions; services below it', () => {
  const project = { name: 'shop', files: ['/w/compose.yaml'], workingDir: '/w' };
  const [root, ...rest] = stackTree(state({ project, services: [service('db', {}), service('api', { readiness: 'pending' })] }));
  assert.equal(rest.length, 0);
  assert.equal(root?.label, 'shop');
  assert.equal(root?.description, '1/2 ready');
  assert.equal(root?.contextValue, 'stack', 'package.json keys Start Stack and Stop Stack on it');
  assert.deepEqual(root?.children?.map((c) => c.contextValue), ['service.ready', 'service.pending']);
});

test('a config error comes before anything else, and a ready stack says so', () => {
  const broken = stackTree(state({ composeError: 'handshake.config.json:3: profile: must be one of …', engine: { status: 'unreachable', socket: 's', error: 'not checked' } }));
  assert.equal(broken.length, 1);
  assert.match(broken[0]?.description ?? '', /handshake.config.json:3/);
  const ready = state({ ready: true, services: [service('db', {})] });
  assert.equal(stackStatusText(ready).text, '$(pass-filled) Handshake: 1/1 ready');
  assert.equal(stackStatusText(ready).background, undefined);
  assert.equal(stackTree(undefined)[0]?.id, 'loading');
});

test('an engine other than the default one is named in the status bar, ready or down', () => {
  const remote = { status: 'connected' as const, socket: 'context remote-ssh (ssh://hs@build-box)', name: 'remote-ssh' };
  const ready = stackStatusText(state({ ready: true, services: [service('db', {})], engine: remote }));
  assert.equal(ready.text, '$(pass-filled) Handshake: 1/1 ready · remote-ssh');
  assert.match(ready.tooltip, /Docker engine: context remote-ssh \(ssh:\/\/hs@build-box\)/);
  const down = stackStatusText(state({ engine: { ...remote, status: 'unreachable', error: 'ssh: the host key of build-box is unknown', hint: 'run `ssh hs@build-box` once' } }));
  assert.equal(down.text, '$(debug-disconnect) Handshake: Docker down · remote-ssh');
  assert.equal(down.background, 'statusBarItem.errorBackground', 'the engine down keeps its error colour');
  assert.match(down.tooltip, /host key of build-box is unknown\nrun `ssh hs@build-box` once/);
});
