// Tests that need a Docker Engine call requireDocker(t): on a laptop without an engine the test skips
// and says why; in CI (CI=true) a missing engine is a failure, never a silent skip.
import type { TestContext } from 'node:test';
import Docker from 'dockerode';

export async function requireDocker(t: TestContext): Promise<Docker | undefined> {
  // dockerode reads DOCKER_HOST or falls back to the platform's default socket.
  const docker = new Docker();
  try {
    await docker.ping();
    return docker;
  } catch (e) {
    const reason = `no Docker Engine answers (${(e as Error).message}); start one with: sh scripts/docker-engine.sh start`;
    if (process.env.CI === 'true') throw new Error(reason);
    t.skip(reason);
    return undefined;
  }
}
