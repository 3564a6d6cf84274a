// The bundled `handshake` (dist/cli.js) dispatches to one bundle per verb (dist/verb-<verb>.js): the main help
// lists every verb, and errors thrown in a verb's bundle (its own copies of UsageError and ConfigError) are
// still reported as a usage or config error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempTree } from '../support/temp-tree';

const cli = path.resolve(__dirname, '../../../dist/cli.js');

function handshake(args: string[], cwd: string) {
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, HANDSHAKE_CONFIG: '' } });
}

test('--help lists every verb; a verb\'s --help gives its usage and summary', () => {
  const help = handshake(['--help'], __dirname);
  assert.equal(help.status, 0, help.stderr);
  for (const verb of ['serve', 'token', 'send', 'up', 'stop', 'restart', 'logs', 'status', 'why', 'proxy', 'inspect', 'export', 'lint', 'check']) {
    assert.match(help.stdout, new RegExp(`^  ${verb}\\s+\\S`, 'm'));
  }
  const lint = handshake(['lint', '--help'], __dirname);
  assert.equal(lint.status, 0, lint.stderr);
  assert.match(lint.stdout, /^usage: handshake lint .*\n\nflag imports/);
});

test('a usage error and a config error from inside a verb\'s bundle exit 2 with their own wording', () => {
  const workspace = tempTree({ 'handshake.config.json': '{ "deprecations": { "rules": [{ "id": "x", "modules": [], "message": "m" }] } }\n' });
  try {
    const usage = handshake(['lint', '--format', 'xml'], workspace);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /^handshake lint: unknown --format "xml".*\nusage: handshake lint /);
    const config = handshake(['lint'], workspace);
    assert.equal(config.status, 2);
    assert.match(config.stderr, /^handshake lint: config error: .*handshake\.config\.json:1: deprecations\.rules\.0\.modules/);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
