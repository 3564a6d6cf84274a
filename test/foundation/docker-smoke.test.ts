// Proves the engine the other tests rely on works: dockerode lists containers, and runs and removes a
// container from an image built locally (docker import, no registry), on host networking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireDocker } from '../support/docker';

test('dockerode lists containers and runs one from a locally built image', async (t) => {
  const docker = await requireDocker(t);
  if (!docker) return;
  assert.ok(Array.isArray(await docker.listContainers({ all: true })));
  const images = await docker.listImages({ filters: { reference: ['handshake/busybox:local'] } });
  assert.equal(images.length, 1, 'handshake/busybox:local is missing: run sh scripts/docker-engine.sh images');

  const container = await docker.createContainer({
    Image: 'handshake/busybox:local',
    Cmd: ['sh', '-c', 'echo smoke-$((6*7))'],
    HostConfig: { NetworkMode: 'host' },
    Labels: { 'dev.handshake.test': 'smoke' },
  });
  try {
    await container.start();
    const result = await container.wait();
    assert.equal(result.StatusCode, 0);
    const logs = await container.logs({ stdout: true, stderr: true });
    assert.match(logs.toString('utf8'), /smoke-42/);
  } finally {
    await container.remove({ force: true });
  }
  await assert.rejects(container.inspect(), /no such container/i);
});
