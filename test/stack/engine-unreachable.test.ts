// Docker Engine unreachable: one clear state (the socket tried, what to do) within 2 s, never a hang,
// whether the socket does not exist or something accepts connections and never answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../server/config/config';
import { StackMonitor } from '../../server/stack/monitor';
import { tempTree } from '../support/temp-tree';
import { handshake, spawnHandshake } from './e2e-support';

function workspace(): string {
  return tempTree({ 'compose.yaml': 'services:\n  web:\n    image: handshake/busybox:local\n    ports: ["8002:8002"]\n' }, 'hs-b1-unreachable-');
}

async function startMonitor(dir: string, dockerHost: string) {
  const env = { ...process.env, DOCKER_HOST: dockerHost };
  const monitor = new StackMonitor({ workspace: dir, config: loadConfig(dir, env), env });
  const started = Date.now();
  const state = await monitor.start();
  const elapsed = Date.now() - started;
  await monitor.stop();
  return { state, elapsed };
}

test('no socket at DOCKER_HOST: unreachable within 2 s, naming the socket and what to do', async () => {
  const dir = workspace();
  const socket = path.join(dir, 'nothing-here.sock');
  const { state, elapsed } = await startMonitor(dir, `unix://${socket}`);
  assert.ok(elapsed < 2000, `took ${elapsed} ms`);
  assert.equal(state.engine.status, 'unreachable');
  assert.equal(state.engine.error, `Docker Engine unreachable at DOCKER_HOST=unix://${socket}: the socket does not exist`);
  assert.match(state.engine.hint ?? '', /sudo systemctl start docker, or sh scripts\/docker-engine\.sh start/);
  assert.equal(state.ready, false);
  assert.equal(state.project?.name, path.basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, ''));

  // The CLI: one line on stderr with the socket and the remedy, exit 1; --json carries the same state.
  const env = { ...process.env, DOCKER_HOST: `unix://${socket}` };
  const run = (args: string[]) => handshake({ dir, env }, args, 10_000);
  const status = await run(['status']);
  assert.equal(status.code, 1);
  assert.equal(status.stdout, '');
  assert.equal(status.stderr.trim().split('\n').length, 1);
  assert.match(status.stderr, /^handshake status: Docker Engine unreachable at DOCKER_HOST=unix:\/\/.*nothing-here\.sock: the socket does not exist\. What to do: start Docker/);
  const json = await run(['status', '--json']);
  assert.equal(json.code, 1);
  assert.equal(JSON.parse(json.stdout).engine.status, 'unreachable');

  // --watch keeps drawing until Ctrl-C, then exits with the last state's code.
  const watch = spawnHandshake({ dir, env }, ['status', '--watch', '--json']);
  let out = '';
  watch.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => watch.on('exit', resolve));
  for (let i = 0; i < 100 && !out.includes('\n'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(JSON.parse(out.split('\n')[0] as string).engine.status, 'unreachable');
  watch.kill('SIGINT');
  assert.equal(await exited, 1);
});

test('a socket that accepts and never answers: unreachable within 2 s, not a hang', async () => {
  const dir = workspace();
  const socket = path.join(dir, 'silent.sock');
  const accepted = new Set<net.Socket>();
  const silent = net.createServer((conn) => accepted.add(conn)); // accepts, never says a word
  await new Promise<void>((resolve) => silent.listen(socket, resolve));
  try {
    const { state, elapsed } = await startMonitor(dir, `unix://${socket}`);
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
    assert.equal(state.engine.status, 'unreachable');
    assert.match(state.engine.error ?? '', /silent\.sock: no answer within 1500 ms$/);
  } finally {
    for (const conn of accepted) conn.destroy();
    silent.close();
  }
});
