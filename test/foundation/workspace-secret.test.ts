// Where dev tokens get their secret: a compose stack's JWT_SECRET_KEY is used when nothing overrides it, so
// one token works against both the Docker stack and the local backend; otherwise a per-workspace secret is
// generated once (0600) and reused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { jwtVerify } from 'jose';
import { tempTree } from '../support/temp-tree';

const cli = path.resolve(__dirname, '../../../dist/cli.js');

function token(workspace: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(process.execPath, [cli, 'token', '--user', 'alice'], {
    cwd: workspace, encoding: 'utf8', env: { ...process.env, HANDSHAKE_JWT_SECRET: '', XDG_STATE_HOME: path.join(workspace, '.state'), ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

const verifies = async (jwt: string, secret: string | Uint8Array) =>
  jwtVerify(jwt, typeof secret === 'string' ? new TextEncoder().encode(secret) : secret).then(() => true, () => false);

test('the compose stack secret signs tokens unless HANDSHAKE_JWT_SECRET overrides it', async () => {
  const stackSecret = 'stack-secret-from-compose-0123456789';
  const workspace = tempTree({
    'compose.yml': `services:\n  db:\n    image: x\n  auth:\n    image: y\n    environment:\n      JWT_SECRET_KEY: \${AUTH_SECRET:-${stackSecret}}\n`,
  }, 'hs-secret-');
  try {
    assert.ok(await verifies(token(workspace), stackSecret));
    assert.ok(await verifies(token(workspace, { HANDSHAKE_JWT_SECRET: 'override-secret-0123456789' }), 'override-secret-0123456789'));
    assert.ok(!(await verifies(token(workspace, { HANDSHAKE_JWT_SECRET: 'override-secret-0123456789' }), stackSecret)));
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});

test('without any configured secret one is generated per workspace, kept with mode 0600 and reused', async () => {
  const workspace = tempTree({}, 'hs-secret-');
  try {
    const first = token(workspace);
    const secrets = path.join(workspace, '.state', 'handshake', 'secrets');
    const [file] = fs.readdirSync(secrets);
    assert.ok(file, 'a secret file was written');
    const stored = path.join(secrets, file);
    assert.equal(fs.statSync(stored).mode & 0o777, 0o600);
    const secret = fs.readFileSync(stored, 'utf8').trim();
    assert.ok(secret.length >= 32);
    assert.ok(await verifies(first, secret));
    assert.ok(await verifies(token(workspace), secret), 'the second token uses the same kept secret');
    assert.ok(!first.includes(secret));
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
