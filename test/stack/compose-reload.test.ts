// The monitor follows edits to the compose file (as the daemon must while the user edits it): a new
// service appears, broken YAML becomes a compose error with its line, and fixing it brings the stack back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../server/config/config';
import { StackMonitor } from '../../server/stack/monitor';
import { requireDocker } from '../support/docker';
import { tempTree } from '../support/temp-tree';
import { waitForState } from './tiny-stack';

test('monitor reloads the compose project when its file changes', async (t) => {
  if (!(await requireDocker(t))) return;
  const dir = tempTree({ 'compose.yaml': 'services:\n  a:\n    image: handshake/busybox:local\n' }, 'hs-b1-reload-');
  const file = path.join(dir, 'compose.yaml');
  // A project name no container has: every service is absent, nothing is started.
  const env = { ...process.env, COMPOSE_PROJECT_NAME: `hs-b1-reload-${process.pid}-${Date.now().toString(36)}` };
  const monitor = new StackMonitor({ workspace: dir, config: loadConfig(dir, env), env, watchFiles: true, probeIntervalMs: 60_000 });
  const names = (s: { services: { name: string }[] }) => s.services.map((x) => x.name).join(',');
  try {
    assert.equal(names(await monitor.start()), 'a');
    fs.writeFileSync(file, 'services:\n  a:\n    image: handshake/busybox:local\n  b:\n    image: handshake/busybox:local\n    depends_on: [a]\n');
    await waitForState(monitor, (s) => names(s) === 'a,b', 5000, 'service b added');
    fs.writeFileSync(file, 'services:\n  a:\n    image: [unclosed\n');
    const broken = await waitForState(monitor, (s) => s.composeError !== undefined, 5000, 'compose error');
    assert.match(broken.composeError ?? '', /compose\.yaml:\d+: invalid YAML/);
    fs.writeFileSync(file, 'services:\n  c:\n    image: handshake/busybox:local\n');
    const fixed = await waitForState(monitor, (s) => names(s) === 'c', 5000, 'fixed');
    assert.equal(fixed.composeError, undefined);
    assert.equal(fixed.engine.status, 'connected');
  } finally {
    await monitor.stop();
  }
});
