// Every way reaching a remote engine fails, produced for real on loopback (a real sshd, a second dockerd with
// TLS, certificates from openssl) and reported as one clear state within its bound: a host key nobody
// trusted or one that changed, a key the server refuses, no sshd, no Docker CLI on the remote for
// dial-stdio, a CA that does not match on either side, and an engine that stops mid-stream (and comes back).
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { StackState } from '../../$shared/protocol';
import { loadConfig } from '../../server/config/config';
import { selectEngine } from '../../server/stack/engine/select';
import { StackMonitor } from '../../server/stack/monitor';
import { freePort } from '../fixtures/stack/fixture';
import { requireRoot } from '../support/second-engine';
import type { ClientHome } from '../support/sshd';
import { tempTree } from '../support/temp-tree';
import { handshake } from './e2e-support';
import { LAB_NEEDS, remoteLab, type RemoteLab } from './remote-lab';
import { waitForState } from './tiny-stack';

/** Generous: every failure here is met on loopback in well under a second. */
const BOUND_MS = 5000;
const workspace = tempTree({ 'compose.yaml': 'services:\n  web:\n    image: handshake/busybox:local\n' }, 'hs-remote-fail-');
let lab: Promise<RemoteLab> | undefined;
after(async () => {
  await (await lab)?.stop();
  fs.rmSync(workspace, { recursive: true, force: true });
});

async function labFor(t: TestContext): Promise<RemoteLab | undefined> {
  if (!requireRoot(t, LAB_NEEDS)) return undefined;
  lab ??= remoteLab('fail');
  return lab;
}

function monitorOver(l: RemoteLab, context: string, client: ClientHome): StackMonitor {
  const env = { ...client.env, DOCKER_CONFIG: l.dockerConfig };
  return new StackMonitor({ workspace, config: loadConfig(workspace, env), env, engine: selectEngine({ context }, env), probeIntervalMs: 60_000 });
}

/** The first state over the context, and how long it took to arrive. */
async function firstState(l: RemoteLab, context: string, client: ClientHome): Promise<StackState> {
  const monitor = monitorOver(l, context, client);
  const began = Date.now();
  const state = await monitor.start();
  await monitor.stop();
  const elapsed = Date.now() - began;
  assert.ok(elapsed < BOUND_MS, `reported after ${elapsed} ms`);
  return state;
}

test('ssh host key unknown, or changed: refused, never silently trusted; the CLI says to run ssh once', async (t) => {
  const l = await labFor(t);
  if (!l) return;
  const port = l.sshd.port;
  const unknown = await firstState(l, 'remote-ssh', l.sshd.clientHome('untrusted', 'engine', ''));
  assert.equal(unknown.engine.status, 'unreachable');
  assert.match(unknown.engine.error ?? '', new RegExp(`context remote-ssh \\(ssh://root@127\\.0\\.0\\.1:${port}\\): ssh: the host key of \\[127\\.0\\.0\\.1\\]:${port} is unknown \\(not in .*/home-untrusted/\\.ssh/known_hosts\\)`));
  assert.equal(unknown.engine.hint, `run \`ssh -p ${port} root@127.0.0.1\` once to check and trust it, then try again`);
  assert.equal(unknown.engine.name, 'remote-ssh');

  const client = l.sshd.clientHome('untrusted', 'engine', '');
  const cli = await handshake({ dir: workspace, env: { ...client.env, DOCKER_CONFIG: l.dockerConfig } }, ['status', '--context', 'remote-ssh'], 20_000);
  assert.equal(cli.code, 1);
  assert.match(cli.stderr, /host key of \[127\.0\.0\.1\]:\d+ is unknown.*What to do: run `ssh -p \d+ root@127\.0\.0\.1` once/);

  // known_hosts lists this host with another key (the engine key's public half stands in for an old host key).
  const [type, blob] = fs.readFileSync(l.sshd.keyFile('engine') + '.pub', 'utf8').split(/\s+/);
  const changed = await firstState(l, 'remote-ssh', l.sshd.clientHome('changed', 'engine', `[127.0.0.1]:${port} ${type} ${blob}`));
  assert.match(changed.engine.error ?? '', /the host key of \[127\.0\.0\.1\]:\d+ does not match .*known_hosts: it changed/);
  assert.match(changed.engine.hint ?? '', /ssh-keygen -R '\[127\.0\.0\.1\]:\d+'/);
});

test('ssh: a key the server refuses, and no sshd at all', async (t) => {
  const l = await labFor(t);
  if (!l) return;
  const refused = await firstState(l, 'remote-ssh', l.sshd.clientHome('stranger', 'stranger'));
  assert.match(refused.engine.error ?? '', /ssh: authentication refused for root@127\.0\.0\.1:\d+ \(offered: .*home-stranger\/\.ssh\/id_ed25519\)/);
  assert.match(refused.engine.hint ?? '', /authorized_keys/);

  l.addContext('nowhere', `host=ssh://root@127.0.0.1:${await freePort()}`);
  const nowhere = await firstState(l, 'nowhere', l.sshd.clientHome('engine', 'engine'));
  assert.match(nowhere.engine.error ?? '', /ssh: connection refused: no sshd listens there \(127\.0\.0\.1:\d+\)/);
});

test('ssh: a remote whose CLI chooses the engine (a context) but has no Docker CLI for dial-stdio', async (t) => {
  const l = await labFor(t);
  if (!l) return;
  const state = await firstState(l, 'remote-ssh', l.sshd.clientHome('nocli', 'nocli'));
  assert.match(state.engine.error ?? '', /the Docker CLI is missing on 127\.0\.0\.1: `docker system dial-stdio` exited 127 \(.*docker: command not found\)/);
  assert.match(state.engine.hint ?? '', /install the Docker CLI on 127\.0\.0\.1/);
});

test('ssh: the key can come from an agent instead of a file', async (t) => {
  const l = await labFor(t);
  if (!l) return;
  const client = l.sshd.clientHome('agent', undefined);
  const sock = path.join(client.home, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
    execFileSync('ssh-add', ['-q', l.sshd.keyFile('engine')], { env: { ...client.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
    const state = await firstState(l, 'remote-ssh', { ...client, env: { ...client.env, SSH_AUTH_SOCK: sock } });
    assert.equal(state.engine.status, 'connected', state.engine.error);
  } finally {
    agent.kill();
  }
});

test('tcp with TLS: a CA that does not match, on this side or on the engine\'s', async (t) => {
  const l = await labFor(t);
  if (!l) return;
  const [good, stranger] = [l.certs.clientDir, l.certs.strangerDir];
  const tcp = `host=tcp://127.0.0.1:${l.tlsPort}`;
  l.addContext('tls-wrong-ca', `${tcp},ca=${stranger}/ca.pem,cert=${good}/cert.pem,key=${good}/key.pem`);
  l.addContext('tls-stranger-client', `${tcp},ca=${good}/ca.pem,cert=${stranger}/cert.pem,key=${stranger}/key.pem`);
  const client = l.sshd.clientHome('tls', undefined);
  const ours = await firstState(l, 'tls-wrong-ca', client);
  assert.match(ours.engine.error ?? '', /TLS: the engine's certificate was rejected on this side \(UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  const theirs = await firstState(l, 'tls-stranger-client', client);
  assert.match(theirs.engine.error ?? '', /TLS: the engine rejected this side's client certificate/);
  const fine = await firstState(l, 'remote-tls', client);
  assert.equal(fine.engine.status, 'connected', fine.engine.error);
});

test('ssh: the engine stops mid-stream: unreachable within the bound, then back with backoff', { timeout: 90_000 }, async (t) => {
  const l = await labFor(t);
  if (!l) return;
  const monitor = monitorOver(l, 'remote-ssh', l.sshd.clientHome('engine', 'engine'));
  try {
    const first = await monitor.start();
    assert.equal(first.engine.status, 'connected', first.engine.error);
    await l.engine.stop();
    const down = await waitForState(monitor, (s) => s.engine.status === 'unreachable', BOUND_MS, 'engine unreachable over ssh');
    assert.match(down.engine.error ?? '', /the engine on 127\.0\.0\.1 does not answer at unix:\/\/\/tmp\/hs-remote-fail-\w+\/docker\.sock/);
    assert.match(down.engine.hint ?? '', /start Docker on 127\.0\.0\.1/);
    await l.engine.start();
    const back = await waitForState(monitor, (s) => s.engine.status === 'connected', 15_000, 'engine back over ssh');
    assert.deepEqual(back.services.map((s) => `${s.name}:${s.readiness}`), ['web:absent']);
  } finally {
    await monitor.stop();
  }
});
