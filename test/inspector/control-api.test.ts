// The daemon's control API and discovery, in process: the file is 0600 in a 0700 folder and stale ones are
// ignored and cleaned; no token, a wrong token, a foreign Host and a cross-site Origin are refused; the
// token is never served; and `handshake send` run beside it is recorded by its recorder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';
import { loadConfig } from '../../server/config/config';
import { startDaemon } from '../../server/daemon/daemon';
import { discoveryDir, liveDaemons } from '../../server/daemon/discovery';
import { handshake } from '../stack/e2e-support';
import { tempTree } from '../support/temp-tree';
import { until } from './support';

function request(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

test('control API and discovery: refusals, 0600 file, stale files cleaned, and `handshake send` recorded', async (t) => {
  const workspace = tempTree({ 'handshake.config.json': JSON.stringify({ backend: { port: 0 } }) }, 'hs-control-');
  const env = { ...process.env, XDG_RUNTIME_DIR: path.join(workspace, 'run'), XDG_STATE_HOME: path.join(workspace, 'state'), HANDSHAKE_JWT_SECRET: 'control-test-secret-0123456789' };
  fs.mkdirSync(env.XDG_RUNTIME_DIR, { mode: 0o700 });
  // A daemon that died without cleaning up.
  fs.mkdirSync(discoveryDir(env), { recursive: true, mode: 0o700 });
  const stale = path.join(discoveryDir(env), 'daemon-999999999-deadbeef.json');
  fs.writeFileSync(stale, JSON.stringify({ pid: 999_999_999, controlUrl: 'http://127.0.0.1:1', token: 'x', workspace, kind: 'serve', startedAt: new Date().toISOString() }));
  const daemon = await startDaemon({ workspace, config: loadConfig(workspace, env), kind: 'serve', env });
  t.after(async () => {
    await daemon.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  const live = liveDaemons(env);
  assert.equal(live.length, 1, 'the stale record is ignored');
  assert.ok(!fs.existsSync(stale), 'and removed');
  const record = live[0]!;
  assert.equal(record.pid, process.pid);
  assert.equal(record.controlUrl, daemon.controlUrl);
  const file = fs.readdirSync(discoveryDir(env)).map((n) => path.join(discoveryDir(env), n))[0]!;
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.equal(fs.statSync(discoveryDir(env)).mode & 0o777, 0o700);

  const url = `${daemon.controlUrl}/v1/info`;
  const host = new URL(daemon.controlUrl).host;
  const good = { Authorization: `Bearer ${record.token}` };
  assert.equal((await request(url, {})).status, 401, 'no token');
  assert.equal((await request(url, { Authorization: 'Bearer wrong' })).status, 401, 'a wrong token');
  assert.equal((await request(url, { ...good, Host: `evil.example:${new URL(daemon.controlUrl).port}` })).status, 403, 'a foreign Host (DNS rebinding)');
  assert.equal((await request(url, { ...good, Origin: 'https://evil.example' })).status, 403, 'a cross-site Origin');
  assert.equal((await request(url, { ...good, Origin: 'vscode-webview://abc' })).status, 200, 'VS Code\'s webview may');
  const info = await request(url, { ...good, Host: host });
  assert.equal(info.status, 200);
  assert.ok(!info.body.includes(record.token), 'the token is never served');
  const follow = new WebSocket(`${daemon.controlUrl.replace('http', 'ws')}/v1/follow`);
  const refused = await new Promise<number>((resolve) => follow.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
  assert.equal(refused, 401, 'the streams need the token too');

  // A follower (as `inspect --follow` and `status --watch` are) hears connections, frames and the stack state live.
  const followed: Array<{ kind: string; frame?: { jsonType?: string }; connection?: { source: string }; state?: { composeError?: string } }> = [];
  const follower = new WebSocket(`${daemon.controlUrl.replace('http', 'ws')}/v1/follow?stack=1&filter=type:agent_completed`, { headers: good });
  follower.on('message', (m) => followed.push(JSON.parse(String(m))));
  await new Promise((resolve) => follower.once('open', resolve));
  t.after(() => follower.terminate());

  const backend = daemon.backend.ok ? daemon.backend.backend : assert.fail('backend');
  const cli = (args: string[]) => handshake({ dir: workspace, env }, args, 20_000);
  const sent = await cli(['send', '--url', backend.wsUrl, '--user', 'bob', '--message', '{"type":"start_agent","data":{"query":"hi","step_delay_ms":1}}',
    '--expect', 'agent_started,agent_completed']);
  assert.equal(sent.code, 0, sent.stderr);
  await until(() => daemon.recorder.summaries().filter((s) => s.userId === 'bob' && s.phase === 'closed').length === 2, `both sides of the send recorded: ${JSON.stringify(daemon.recorder.summaries())}`);
  const viaSend = daemon.recorder.summaries().find((s) => s.source === 'client')!;
  assert.equal(viaSend.via, 'send');
  assert.equal(viaSend.target, backend.wsUrl);
  const frames = daemon.recorder.detail(viaSend.id)!.frames.map((f) => `${f.from}:${f.jsonType}`);
  // `send` sends as soon as the socket opens, so its message may precede the greeting.
  assert.deepEqual(frames.filter((f) => f.startsWith('client')), ['client:start_agent']);
  assert.deepEqual(frames.filter((f) => f.startsWith('server')).slice(0, 2), ['server:connection_established', 'server:agent_started']);
  assert.equal(frames.at(-1), 'server:agent_completed');
  await until(() => followed.filter((m) => m.kind === 'frame').length === 2 && followed.some((m) => m.kind === 'stack'), 'the follower\'s messages');
  assert.deepEqual(followed.filter((m) => m.kind === 'frame').map((m) => m.frame!.jsonType), ['agent_completed', 'agent_completed'], 'the filter applies: one per side');
  assert.deepEqual(new Set(followed.filter((m) => m.kind === 'connection').map((m) => m.connection!.source)), new Set(['backend', 'client']));
  assert.match(followed.find((m) => m.kind === 'stack')!.state!.composeError ?? '', /no compose file/i, 'the stack state of this (compose-less) workspace');

  // A scenario run beside the daemon is recorded too, each connection with its user.
  const checked = await cli(['check', '--preset', 'golden-path', '--users', '3', '--target', backend.wsUrl]);
  assert.equal(checked.code, 0, checked.stdout + checked.stderr);
  await until(() => daemon.recorder.summaries().filter((s) => s.via === 'check' && s.phase === 'closed').length === 3, 'the check\'s sessions');
  const users = daemon.recorder.summaries().filter((s) => s.via === 'check').map((s) => s.userId).sort();
  assert.equal(new Set(users).size, 3);
});
