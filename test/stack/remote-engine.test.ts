// The fixture stack on a second engine reached over ssh (a real sshd, DOCKER_HOST=ssh://root@127.0.0.1:PORT
// through a context) and over tcp with TLS: `up` and `stop` act on that engine and not the local one, the
// states, blocked-by chains and root causes are the local socket's, events arrive live over ssh, and probes
// of ports the remote binds to its loopback go through an ssh forward and say so.
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { InitializedNotification } from 'vscode-languageserver-protocol/node';
import { StackStateNotification, type ServiceState, type StackState } from '../../$shared/protocol';
import { forkDaemon } from '../support/daemon';
import { loadConfig } from '../../server/config/config';
import { selectEngine } from '../../server/stack/engine/select';
import { StackMonitor } from '../../server/stack/monitor';
import { fixtureStack, FIXTURE_DIR, type FixtureStack } from '../fixtures/stack/fixture';
import { requireDocker } from '../support/docker';
import { requireRoot } from '../support/second-engine';
import { handshake, jsonLines } from './e2e-support';
import { LAB_NEEDS, remoteLab, type RemoteLab } from './remote-lab';
import { serviceOf, waitForState } from './tiny-stack';

const run = promisify(execFile);
let lab: Promise<RemoteLab> | undefined;
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await (await lab)?.stop();
});

async function labFor(t: TestContext): Promise<{ lab: RemoteLab; local: Docker } | undefined> {
  const local = await requireDocker(t);
  if (!local || !requireRoot(t, LAB_NEEDS)) return undefined;
  lab ??= remoteLab('engine', ['handshake/busybox:local', 'handshake/node:local']);
  return { lab: await lab, local };
}

/** The fixture, with a client HOME that trusts the lab's sshd, and compose pointed at the lab's engine for cleanup. */
async function remoteFixture(l: RemoteLab, label: string, variant?: 'migrate-fails'): Promise<FixtureStack> {
  const stack = await fixtureStack(label, variant);
  const client = l.sshd.clientHome('engine', 'engine');
  const env = { ...stack.env, ...client.env, COMPOSE_FILE: stack.env.COMPOSE_FILE, DOCKER_CONFIG: l.dockerConfig };
  const remoteEnv = { ...env, DOCKER_HOST: `unix://${l.engine.socket}` };
  cleanups.push(() => run('docker-compose', ['down', '-t', '3'], { cwd: FIXTURE_DIR, env: remoteEnv }));
  return { ...stack, env };
}

const projectOf = (docker: Docker, stack: FixtureStack) =>
  docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${stack.project}`] } });

test('over ssh: up starts the fixture on the remote engine; status, live events, probes through a forward; stop', { timeout: 120_000 }, async (t) => {
  const got = await labFor(t);
  if (!got) return;
  const { lab: l, local } = got;
  const stack = await remoteFixture(l, 'remote-ssh');
  const up = await handshake(stack, ['up', '--context', 'remote-ssh', '--json']);
  assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`);
  assert.deepEqual([...(jsonLines(up.stdout).at(-1)?.settled as string[])].sort(), ['auth', 'backend', 'db', 'migrate']);
  const remote = new Docker({ socketPath: l.engine.socket });
  assert.equal((await projectOf(remote, stack)).length, 4, 'the containers are on the remote engine');
  assert.equal((await projectOf(local, stack)).length, 0, 'and not on the local one');

  const status = await handshake(stack, ['status', '--context', 'remote-ssh']);
  assert.equal(status.code, 0, status.stdout + status.stderr);
  assert.match(status.stdout, new RegExp(`on context remote-ssh \\(ssh://root@127\\.0\\.0\\.1:${l.sshd.port}\\)`));
  const state = JSON.parse((await handshake(stack, ['status', '--json', '--context', 'remote-ssh'])).stdout) as StackState;
  assert.equal(state.engine.name, 'remote-ssh');
  const probes = serviceOf(state, 'backend')?.probes ?? [];
  assert.deepEqual(probes.map((p) => p.ok), [true, true]);
  for (const p of probes) assert.equal(p.via, `through an ssh forward to 127.0.0.1:${stack.ports.backend} on -p ${l.sshd.port} root@127.0.0.1`);
  assert.match(probes[1]?.detail ?? '', new RegExp(`ws://127\\.0\\.0\\.1:${stack.ports.backend}/ws`), 'the sentence names the stack\'s port, not the tunnel\'s');

  // The Stack view's source: the editor's daemon with the window's Docker context shows the same stack.
  const editor = forkDaemon({ cwd: stack.dir, env: stack.env });
  try {
    const viewStates: StackState[] = [];
    editor.connection.onNotification(StackStateNotification.type, (s) => { viewStates.push(s); });
    editor.connection.listen();
    await editor.initialize(stack.dir, { dockerContext: 'remote-ssh' });
    await editor.connection.sendNotification(InitializedNotification.type, {});
    for (let i = 0; i < 300 && !viewStates.at(-1)?.ready; i++) await new Promise((r) => setTimeout(r, 100));
    const view = viewStates.at(-1)!;
    assert.equal(view.ready, true, JSON.stringify(view.services.map((s) => [s.name, s.summary])));
    assert.equal(view.engine.name, 'remote-ssh');
    assert.deepEqual(view.services.map((s) => [s.name, s.readiness]), state.services.map((s) => [s.name, s.readiness]), 'the view shows what status shows');
  } finally {
    editor.dispose();
  }

  // Live over ssh: a long probe interval, so only the engine's events can tell the monitor.
  const monitor = new StackMonitor({ workspace: stack.dir, config: loadConfig(stack.dir, stack.env), env: stack.env,
    engine: selectEngine({ context: 'remote-ssh' }, stack.env), probeIntervalMs: 60_000 });
  try {
    await monitor.start();
    const [backend] = await remote.listContainers({ filters: { label: [`com.docker.compose.project=${stack.project}`, 'com.docker.compose.service=backend'] } });
    await (await remote.getContainer(backend?.Id as string).exec({ Cmd: ['sh', '-c', 'echo "pool exhausted" > /tmp/unhealthy'] })).start({});
    const sick = await waitForState(monitor, (s) => serviceOf(s, 'backend')?.readiness === 'failed', 15_000, 'backend unhealthy over ssh');
    assert.match(serviceOf(sick, 'backend')?.rootCause?.healthOutput ?? '', /pool exhausted/);
  } finally {
    await monitor.stop();
  }

  const stop = await handshake(stack, ['stop', '--context', 'remote-ssh']);
  assert.equal(stop.code, 0, stop.stderr);
  assert.ok((await projectOf(remote, stack)).every((c) => c.State === 'exited'), 'stopped on the remote engine, kept');
});

/** What must be the same wherever the stack runs. */
function story(state: StackState): unknown[] {
  return state.services.map((s: ServiceState) => ({ name: s.name, readiness: s.readiness, container: s.container.status, exitCode: s.container.exitCode,
    blockedBy: s.blockedBy, cause: s.rootCause && [s.rootCause.service, s.rootCause.exitCode, s.rootCause.firstErrorLine] }));
}

test('a failing migration: the same states, chains and root causes over ssh, tcp+TLS (context and env) and the local socket', { timeout: 120_000 }, async (t) => {
  const got = await labFor(t);
  if (!got) return;
  const { lab: l } = got;
  const stack = await remoteFixture(l, 'remote-same', 'migrate-fails');
  // Both engines share this machine's network (host networking): the local copy needs ports of its own.
  const localStack = await fixtureStack('local-same', 'migrate-fails');
  cleanups.push(() => localStack.down());
  const up = await handshake(stack, ['up', '--context', 'remote-tls']);
  assert.equal(up.code, 1, up.stdout);
  assert.match(up.stderr, /^migrate failed: exited with code 1/m);
  assert.equal((await handshake(localStack, ['up'])).code, 1, 'the same on the local engine');

  const statusOf = async (args: string[], env = stack.env) => JSON.parse((await handshake({ dir: stack.dir, env }, ['status', '--json', ...args])).stdout) as StackState;
  const c = l.certs.clientDir;
  const { DOCKER_CONFIG: _config, ...withoutContexts } = stack.env;
  const states = {
    local: await statusOf([], localStack.env),
    ssh: await statusOf(['--context', 'remote-ssh']),
    tls: await statusOf(['--context', 'remote-tls']),
    tlsEnv: await statusOf([], { ...withoutContexts, DOCKER_HOST: `tcp://127.0.0.1:${l.tlsPort}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: c }),
  };
  assert.equal(states.tlsEnv.engine.socket, `DOCKER_HOST=tcp://127.0.0.1:${l.tlsPort}`);
  const expected = story(states.local);
  assert.deepEqual(serviceOf(states.local, 'backend')?.blockedBy, ['migrate']);
  assert.equal(serviceOf(states.local, 'migrate')?.rootCause?.firstErrorLine, "ImportError: No module named 'psycopg2'");
  for (const [name, state] of Object.entries(states)) assert.deepEqual(story(state), expected, `${name} tells the local story`);

  const why = await handshake(stack, ['why', 'backend', '--context', 'remote-ssh']);
  assert.equal(why.code, 1);
  assert.match(why.stdout, /^backend is blocked by migrate/m);
  assert.match(why.stdout, /^probe: .*connection refused on 127\.0\.0\.1:\d+ at the engine's host .*\(through an ssh forward to 127\.0\.0\.1:\d+ on -p \d+ root@127\.0\.0\.1\)$/m);
});
