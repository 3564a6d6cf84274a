// Engine selection as the Docker CLI does it, on contexts written by the real `docker context create` and
// `docker context use` into a DOCKER_CONFIG of the test's own: found by name, with their TLS material; the
// order --context, DOCKER_HOST, DOCKER_CONTEXT, handshake.config.json docker.context, the current context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../server/config/config';
import { describeEngine, engineName, selectEngine } from '../../server/stack/engine/select';
import { makeCerts } from '../support/certs';
import { tempTree } from '../support/temp-tree';
import { handshake } from './e2e-support';

function dockerStore() {
  const root = tempTree({ 'handshake.config.json': JSON.stringify({ docker: { context: 'team-box' } }) }, 'hs-contexts-');
  const dockerConfig = path.join(root, 'docker-config');
  const docker = (...args: string[]) => execFileSync('docker', args, { env: { ...process.env, DOCKER_CONFIG: dockerConfig }, stdio: 'ignore' });
  const certs = makeCerts(path.join(root, 'certs'));
  const c = certs.clientDir;
  docker('context', 'create', 'remote-ssh', '--docker', 'host=ssh://hs@build-box:2222');
  docker('context', 'create', 'remote-tls', '--docker', `host=tcp://10.0.0.7:2376,ca=${c}/ca.pem,cert=${c}/cert.pem,key=${c}/key.pem`);
  docker('context', 'create', 'team-box', '--docker', 'host=ssh://team@team-box');
  // The bare environment: no variable of the machine's may choose for the test.
  const { DOCKER_HOST: _h, DOCKER_CONTEXT: _c, DOCKER_TLS_VERIFY: _v, DOCKER_CERT_PATH: _p, ...env } = process.env;
  return { root, docker, certs, env: { ...env, DOCKER_CONFIG: dockerConfig } as NodeJS.ProcessEnv };
}

test('contexts are found by name, TLS material included, as docker context create wrote them', () => {
  const { env, certs } = dockerStore();
  const ssh = selectEngine({ context: 'remote-ssh' }, env);
  assert.deepEqual(ssh, { context: 'remote-ssh', source: '--context', host: 'ssh://hs@build-box:2222' });
  assert.equal(describeEngine(ssh), 'context remote-ssh (ssh://hs@build-box:2222)');
  assert.equal(engineName(ssh), 'remote-ssh');

  const tls = selectEngine({ context: 'remote-tls' }, env);
  assert.equal(tls.host, 'tcp://10.0.0.7:2376');
  assert.equal(tls.tls?.verify, true);
  // The store keeps its own copies, under contexts/tls/<sha256 of the name>/docker.
  assert.equal(fs.readFileSync(path.join(tls.tls?.certPath as string, 'ca.pem'), 'utf8'), fs.readFileSync(certs.ca, 'utf8'));
  assert.ok(fs.existsSync(path.join(tls.tls?.certPath as string, 'key.pem')));

  const missing = selectEngine({ context: 'nosuch' }, env);
  assert.equal(missing.error, 'no Docker context named "nosuch" (chosen by --context; known: remote-ssh, remote-tls, team-box)');
});

test('the order: --context, DOCKER_HOST, DOCKER_CONTEXT, docker.context of the workspace, the current context, the default socket', () => {
  const { root, docker, env } = dockerStore();
  const config = loadConfig(root, env);
  const pick = (extra: NodeJS.ProcessEnv, context?: string, withConfig = true) =>
    selectEngine({ context, config: withConfig ? config : undefined }, { ...env, ...extra });

  assert.equal(pick({}, undefined, false).host, 'unix:///var/run/docker.sock');
  assert.equal(engineName(pick({}, undefined, false)), undefined, 'the default engine has no name to show');
  docker('context', 'use', 'remote-tls');
  assert.equal(pick({}, undefined, false).context, 'remote-tls', 'the current context of config.json');
  assert.match(pick({}, undefined, false).source, /current context in .*config\.json/);
  assert.equal(pick({}).context, 'team-box', 'the workspace\'s docker.context beats the global current context');
  assert.equal(pick({ DOCKER_CONTEXT: 'remote-ssh' }).context, 'remote-ssh', 'DOCKER_CONTEXT beats the workspace');
  const host = pick({ DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs', DOCKER_CONTEXT: 'remote-ssh' });
  assert.deepEqual(host, { context: 'default', source: 'DOCKER_HOST', host: 'tcp://127.0.0.1:2376', tls: { certPath: '/certs', verify: true } });
  assert.equal(describeEngine(host), 'DOCKER_HOST=tcp://127.0.0.1:2376');
  assert.equal(pick({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }, 'remote-ssh').context, 'remote-ssh', '--context beats everything');
  assert.equal(pick({ DOCKER_HOST: 'unix:///run/other.sock' }, 'default').host, 'unix:///run/other.sock', '"default" is the DOCKER_HOST engine');
});

test('the CLI: a context that does not exist is a usage error before anything is tried, on every stack verb', async () => {
  const { root, env } = dockerStore();
  for (const verb of [['status'], ['why', 'web'], ['up'], ['stop'], ['restart', 'web'], ['logs', 'web']]) {
    const run = await handshake({ dir: root, env }, [...verb, '--context', 'nosuch'], 20_000);
    assert.equal(run.code, 2, `${verb[0]}: ${run.stderr}`);
    assert.match(run.stderr, new RegExp(`^handshake ${verb[0]}: no Docker context named "nosuch" \\(chosen by --context; known: remote-ssh, remote-tls, team-box\\)`));
  }
});
