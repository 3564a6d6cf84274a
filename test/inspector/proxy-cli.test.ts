// Done-when of the inspector, as a user does it: `handshake proxy` (the daemon, since none runs) in front of
// the local backend, a third-party client's agent run through it, then `handshake inspect` and HAR and JSON
// Lines exports with every frame and no token in any form; Ctrl-C removes the discovery file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { startBackend } from '../../server/backend/backend';
import { mintToken } from '../../server/auth/token';
import { handshake, spawnHandshake } from '../stack/e2e-support';
import { tempTree } from '../support/temp-tree';

const SECRET = 'proxy-cli-secret-0123456789abcdef';

test('a third-party client through `handshake proxy` shows in `inspect` and in HAR and JSONL exports, with every frame and no token', async (t) => {
  const workspace = tempTree({}, 'hs-proxy-cli-');
  const env = { ...process.env, XDG_RUNTIME_DIR: path.join(workspace, 'run'), XDG_STATE_HOME: path.join(workspace, 'state'), NO_COLOR: '1' };
  fs.mkdirSync(env.XDG_RUNTIME_DIR, { mode: 0o700 });
  const backend = await startBackend({ host: '127.0.0.1', port: 0, profile: 'development', secret: SECRET });
  const proxy = spawnHandshake({ dir: workspace, env }, ['proxy', '--listen', '127.0.0.1:0', '--target', `ws://127.0.0.1:${backend.port}`, '--json']);
  t.after(async () => {
    proxy.kill('SIGKILL');
    await backend.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });
  let stdout = '';
  proxy.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  const announced = await new Promise<{ proxies: Array<{ url: string }> }>((resolve, reject) => {
    proxy.stdout.on('data', () => {
      const line = stdout.split('\n').find((l) => l.includes('"proxies"'));
      if (line) resolve(JSON.parse(line));
    });
    proxy.once('exit', (code) => reject(new Error(`proxy exited ${code}`)));
  });

  const token = await mintToken({ user: 'carol', secret: SECRET });
  const ws = new WebSocket(`${announced.proxies[0]!.url}/ws`, ['jwt-auth', `jwt.${Buffer.from(token).toString('base64url')}`]);
  const types: string[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (data) => {
      const type = (JSON.parse(String(data)) as { type: string }).type;
      types.push(type);
      if (type === 'connection_established') ws.send(JSON.stringify({ type: 'start_agent', data: { query: 'hi', step_delay_ms: 1 } }));
      if (type === 'agent_completed') ws.close(1000, 'thanks');
    });
    ws.on('close', () => resolve());
    ws.on('error', reject);
  });

  const cli = (args: string[]) => handshake({ dir: workspace, env }, args, 20_000);
  const listed = await cli(['inspect', '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const { connections } = JSON.parse(listed.stdout) as { connections: Array<{ id: string; userId: string; source: string; framesFromServer: number; closeCode: number }> };
  assert.equal(connections.length, 1);
  assert.deepEqual([connections[0]!.source, connections[0]!.userId, connections[0]!.framesFromServer, connections[0]!.closeCode], ['proxy', 'carol', types.length, 1000]);
  const text = await cli(['inspect', '--connection', connections[0]!.id, '--filter', 'from:server']);
  assert.equal(text.code, 0, text.stderr);
  for (const type of types) assert.match(text.stdout, new RegExp(type));
  assert.match(text.stdout, /request sec-websocket-protocol: jwt-auth, jwt\..{1,8}\n/);

  const harFile = path.join(workspace, 'run.har');
  assert.equal((await cli(['export', '--format', 'har', '--out', harFile])).code, 0);
  const jsonl = await cli(['export', '--format', 'jsonl']);
  assert.equal(jsonl.code, 0);
  const har = JSON.parse(fs.readFileSync(harFile, 'utf8')) as { log: { entries: Array<{ _webSocketMessages: Array<{ type: string; data: string }> }> } };
  assert.equal(har.log.entries[0]!._webSocketMessages.length, types.length + 1, 'every frame: the events received and the message sent');
  assert.equal(jsonl.stdout.trim().split('\n').length, 1 + types.length + 1);
  const everything = [listed.stdout, text.stdout, fs.readFileSync(harFile, 'utf8'), jsonl.stdout, stdout].join('\n');
  for (const secret of [token, Buffer.from(token).toString('base64url'), token.split('.')[2]!]) assert.ok(!everything.includes(secret), 'no token in any form');

  proxy.kill('SIGINT');
  assert.equal(await new Promise((resolve) => proxy.once('exit', resolve)), 0);
  assert.deepEqual(fs.readdirSync(path.join(env.XDG_RUNTIME_DIR, 'handshake')), [], 'the discovery file is gone');
  const none = await cli(['inspect']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no Handshake daemon is running/);
});
