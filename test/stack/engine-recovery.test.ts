// The engine stopped and started again: the monitor goes to 'unreachable' and comes back by itself,
// without a restart. The shared engine is never touched: this test starts a second dockerd of its own
// (own socket, data root, exec root and pidfile, no bridge, no iptables, the private resolv.conf of
// scripts/docker-engine.sh) and stops only that one, by its pid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../server/config/config';
import { StackMonitor } from '../../server/stack/monitor';
import { requireRoot, SecondEngine } from '../support/second-engine';
import { waitForState } from './tiny-stack';

test('engine stopped and started again: unreachable, then recovered without restarting the monitor', { timeout: 90_000 }, async (t) => {
  if (!requireRoot(t)) return;
  const root = fs.mkdtempSync('/tmp/hs-b1-dockerd-');
  fs.writeFileSync(path.join(root, 'compose.yaml'), 'services:\n  web:\n    image: handshake/busybox:local\n');
  const dockerd = new SecondEngine(root);
  const socket = dockerd.socket;
  const env = { ...process.env, DOCKER_HOST: `unix://${socket}` };
  const monitor = new StackMonitor({ workspace: root, config: loadConfig(root, env), env, probeIntervalMs: 60_000 });
  try {
    await dockerd.start();
    const first = await monitor.start();
    assert.equal(first.engine.status, 'connected', first.engine.error);
    assert.deepEqual(first.services.map((s) => `${s.name}:${s.readiness}`), ['web:absent']);

    await dockerd.stop();
    const down = await waitForState(monitor, (s) => s.engine.status === 'unreachable', 5000, 'engine unreachable');
    assert.match(down.engine.error ?? '', new RegExp(`unreachable at DOCKER_HOST=unix://${socket}`));
    assert.match(down.engine.hint ?? '', /start Docker/);
    assert.deepEqual(down.services, []);

    await dockerd.start();
    // The event stream retries with backoff (at most 5 s apart): the same monitor reconnects.
    const back = await waitForState(monitor, (s) => s.engine.status === 'connected', 15_000, 'engine back');
    assert.deepEqual(back.services.map((s) => `${s.name}:${s.readiness}`), ['web:absent']);
  } finally {
    await monitor.stop();
    await dockerd.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
