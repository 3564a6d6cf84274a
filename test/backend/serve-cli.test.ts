// `handshake serve` as a user runs it: the bundled CLI in a fresh workspace, a token from `handshake token`,
// a plain ws client (the third-party path), then Ctrl-C. And the ways it refuses to start (exit 2).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

const cli = path.resolve(__dirname, '../../../dist/cli.js');

/** A throwaway workspace and state directory, so the generated secret is this test's own. */
function workspace(t: TestContext, configText?: string): { cwd: string; env: NodeJS.ProcessEnv } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handshake-serve-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cwd = path.join(dir, 'ws');
  fs.mkdirSync(cwd);
  if (configText !== undefined) fs.writeFileSync(path.join(cwd, 'handshake.config.json'), configText);
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_STATE_HOME: path.join(dir, 'state'), NO_COLOR: '1' };
  delete env.HANDSHAKE_JWT_SECRET;
  delete env.HANDSHAKE_CONFIG;
  return { cwd, env };
}

function runCli(args: string[], where: { cwd: string; env: NodeJS.ProcessEnv }) {
  return spawnSync(process.execPath, [cli, ...args], { ...where, encoding: 'utf8', timeout: 15_000 });
}

test('serve --port 0: prints its URLs, serves a token from `handshake token` to a plain ws client, exits 0 on SIGINT', async (t) => {
  const where = workspace(t);
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--profile', 'staging'], { ...where, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const wsUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed in 10 s: ${stdout}${stderr}`)), 10_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /ws\s+(ws:\/\/127\.0\.0\.1:\d+\/ws)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  assert.match(stdout, /profile staging/);
  assert.match(stdout, /npx handshake token --user alice/);
  assert.match(stdout, /JWT secret from: generated for this workspace/);
  const minted = runCli(['token', '--user', 'alice'], where);
  assert.equal(minted.status, 0, minted.stderr);
  const jwt = minted.stdout.trim();
  const secretFile = fs.readdirSync(path.join(where.env.XDG_STATE_HOME!, 'handshake', 'secrets'))[0]!;
  const secret = fs.readFileSync(path.join(where.env.XDG_STATE_HOME!, 'handshake', 'secrets', secretFile), 'utf8').trim();

  const ws = new WebSocket(wsUrl, ['jwt-auth', `jwt.${Buffer.from(jwt).toString('base64url')}`]);
  const seen: string[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (data) => {
      const event = JSON.parse(String(data)) as { type: string; user_id: string };
      seen.push(`${event.type}:${event.user_id}`);
      if (event.type === 'connection_established') ws.send(JSON.stringify({ type: 'ping' }));
      if (event.type === 'pong') resolve();
    });
    ws.on('error', reject);
  });
  assert.equal(ws.protocol, 'jwt-auth');
  assert.deepEqual(seen, ['connection_established:alice', 'pong:alice']);

  const refused = new WebSocket(wsUrl);
  await new Promise((resolve) => refused.once('unexpected-response', resolve));
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.match(stdout, /alice connected from 127\.0\.0\.1/);
  assert.match(stdout, /refused a handshake from 127\.0\.0\.1: HTTP 401 missing_token/);
  child.kill('SIGINT');
  assert.equal(await exited, 0, stderr);
  assert.equal(await closed, 1001);
  assert.ok(!stdout.includes(secret) && !stderr.includes(secret), 'the secret is never printed');
});

test('a malformed handshake.config.json: serve exits 2 naming the file, the line and the field', (t) => {
  const where = workspace(t, '{\n  "backend": { "port": 0 },\n  "profile": "prod"\n}\n');
  const result = runCli(['serve'], where);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /handshake\.config\.json:3: profile: must be one of/);
  const syntax = workspace(t, '{\n  "profile": "staging",,\n}\n');
  const broken = runCli(['serve'], syntax);
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /handshake\.config\.json:2: invalid JSON/);
});

test('serve exits 2 with a clear message when the port is taken or an option is wrong', async (t) => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => blocker.close());
  const port = (blocker.address() as net.AddressInfo).port;
  const where = workspace(t);
  const taken = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
    // spawn, not spawnSync: the blocking listener lives in this process and must keep accepting.
    const child = spawn(process.execPath, [cli, 'serve', '--port', String(port)], { ...where, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (status) => resolve({ status, stderr }));
  });
  assert.equal(taken.status, 2);
  assert.match(taken.stderr, new RegExp(`127\\.0\\.0\\.1:${port} is already in use`));
  assert.equal(runCli(['serve', '--profile', 'qa'], where).status, 2);
  assert.equal(runCli(['serve', '--port', 'eighty'], where).status, 2);
});
