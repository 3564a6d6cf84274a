// The engine stopped and started again: the monitor goes to 'unreachable' and comes back by itself,
// without a restart. The shared engine is never touched: this test starts a second dockerd of its own
// (own socket, data root, exec root and pidfile, no bridge, no iptables, the private resolv.conf of
// scripts/docker-engine.sh) and stops only that one, by its pid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { loadConfig } from '../../server/config/config';
import { StackMonitor } from '../../server/stack/monitor';
import { waitForState } from './tiny-stack';

const DOCKERD = '/usr/sbin/dockerd';

function startDockerd(root: string): ChildProcess {
  const socket = path.join(root, 'docker.sock');
  const log = fs.openSync(path.join(root, 'dockerd.log'), 'a');
  // unshare --mount: the bind-mounted resolv.conf (lookups fail at once, on loopback) is private to this dockerd.
  const script = `mount --bind '${root}/resolv.conf' /etc/resolv.conf && exec ${DOCKERD} --host=unix://${socket} ` +
    `--data-root=${root}/data --exec-root=${root}/exec --pidfile=${root}/dockerd.pid ` +
    '--bridge=none --iptables=false --ip-masq=false --ip6tables=false --log-level=warn';
  return spawn('unshare', ['--mount', '--propagation', 'slave', 'sh', '-c', script], {
    stdio: ['ignore', log, log],
    env: { ...process.env, HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '' },
  });
}

async function waitForPing(socket: string, timeoutMs: number): Promise<void> {
  const docker = new Docker({ socketPath: socket, timeout: 1000 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await docker.ping();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`second dockerd not up within ${timeoutMs} ms: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function stopDockerd(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM'); // sh exec'd dockerd: this pid is dockerd itself, which stops its own containerd
  await exited;
}

test('engine stopped and started again: unreachable, then recovered without restarting the monitor', { timeout: 90_000 }, async (t) => {
  if (!fs.existsSync(DOCKERD) || process.getuid?.() !== 0) {
    const reason = 'needs root and dockerd to run a second engine (sh scripts/docker-engine.sh install)';
    if (process.env.CI === 'true') throw new Error(reason);
    t.skip(reason);
    return;
  }
  const root = fs.mkdtempSync('/tmp/hs-b1-dockerd-');
  fs.writeFileSync(path.join(root, 'resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  fs.writeFileSync(path.join(root, 'compose.yaml'), 'services:\n  web:\n    image: handshake/busybox:local\n');
  const socket = path.join(root, 'docker.sock');
  const env = { ...process.env, DOCKER_HOST: `unix://${socket}` };
  let dockerd = startDockerd(root);
  const monitor = new StackMonitor({ workspace: root, config: loadConfig(root, env), env, probeIntervalMs: 60_000 });
  try {
    await waitForPing(socket, 30_000);
    const first = await monitor.start();
    assert.equal(first.engine.status, 'connected', first.engine.error);
    assert.deepEqual(first.services.map((s) => `${s.name}:${s.readiness}`), ['web:absent']);

    await stopDockerd(dockerd);
    const down = await waitForState(monitor, (s) => s.engine.status === 'unreachable', 5000, 'engine unreachable');
    assert.match(down.engine.error ?? '', new RegExp(`unreachable at DOCKER_HOST=unix://${socket}`));
    assert.match(down.engine.hint ?? '', /start Docker/);
    assert.deepEqual(down.services, []);

    dockerd = startDockerd(root);
    await waitForPing(socket, 30_000);
    // The event stream retries with backoff (at most 5 s apart): the same monitor reconnects.
    const back = await waitForState(monitor, (s) => s.engine.status === 'connected', 15_000, 'engine back');
    assert.deepEqual(back.services.map((s) => `${s.name}:${s.readiness}`), ['web:absent']);
  } finally {
    await monitor.stop();
    await stopDockerd(dockerd);
    fs.rmSync(root, { recursive: true, force: true });
  }
});
