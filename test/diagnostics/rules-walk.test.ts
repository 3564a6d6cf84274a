// Rules as data (defaults, the config's own, schema errors) and the file walk (.gitignore, skipped folders).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import deprecationsSchema from '../../schemas/deprecations.schema.json';
import { ConfigError, loadConfig } from '../../server/config/config';
import { lazyValidator } from '../../server/config/schema-validator';
import { DEFAULT_DEPRECATIONS } from '../../server/diagnostics/default-rules';
import { loadRules, methodRule, RulesError } from '../../server/diagnostics/rules';
import { readScratch } from '../../server/diagnostics/read-file';
import { walkFiles } from '../../server/diagnostics/walk';
import { tempTree } from '../support/temp-tree';

test('zero config: the SPEC rule set with its three modules and method map', () => {
  const { rules } = loadRules();
  assert.equal(rules.length, 1);
  const [rule] = rules;
  assert.deepEqual(rule!.modules, [
    'netra_backend.app.agents.supervisor.websocket_notifier',
    'netra_backend.app.services.websocket_notifier',
    'netra_backend.app.websocket_core.websocket_notifier',
  ]);
  assert.equal(methodRule(rule!, 'send_agent_started')?.rename, 'notify_agent_started');
  assert.ok(methodRule(rule!, 'send_stream_anything')?.noEquivalent, 'send_stream_* matches by prefix');
  assert.equal(methodRule(rule!, 'send_unknown'), undefined);
});

test('the built-in rule set is valid against the deprecations schema (rules.ts does not check it at run time)', () => {
  const validate = lazyValidator(deprecationsSchema)();
  assert.ok(validate(DEFAULT_DEPRECATIONS), JSON.stringify(validate.errors));
});

test('the config adds rules after the defaults, or replaces them with useDefaults false', () => {
  const own = { id: 'old-client', languages: ['typescript'], modules: ['old-client'], message: 'Use new-client.' };
  assert.deepEqual(loadRules({ raw: { deprecations: { rules: [own] } } }).rules.map((r) => r.id), ['websocket-notifier', 'old-client']);
  assert.deepEqual(loadRules({ raw: { deprecations: { useDefaults: false, rules: [own] } } }).rules.map((r) => r.id), ['old-client']);
});

test('a bad rule is an error naming the field; in handshake.config.json it names the file and line', () => {
  assert.throws(() => loadRules({ raw: { deprecations: { rules: [{ id: 'Bad Id', modules: ['x'], message: 'm' }] } } }),
    (e: unknown) => e instanceof RulesError && /deprecations\/rules\/0\/id/.test(e.message));
  const dir = tempTree({ 'handshake.config.json': '{\n  "deprecations": {\n    "rules": [{ "id": "x", "modules": [], "message": "m" }]\n  }\n}\n' });
  try {
    assert.throws(() => loadConfig(dir, {}), (e: unknown) => e instanceof ConfigError && e.line === 3 && /deprecations\.rules\.0\.modules/.test(e.message));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the walk honours nested .gitignore files and skips virtualenvs, node_modules and caches', async () => {
  const dir = tempTree({
    '.gitignore': 'generated/\n*.gen.py\n!keep.gen.py\n',
    'app/main.py': '', 'app/x.gen.py': '', 'app/keep.gen.py': '', 'app/readme.md': '',
    'app/.gitignore': 'local_only.py\n', 'app/local_only.py': '',
    'generated/a.py': '', '.venv/lib/site.py': '', 'venv/x.py': '', 'node_modules/p/i.js': '', 'pkg/__pycache__/c.py': '',
    'web/app.tsx': '', 'web/lib.mjs': '',
  });
  try {
    const files: string[] = [];
    for await (const f of walkFiles(dir)) files.push(path.relative(dir, f));
    assert.deepEqual(files, ['app/keep.gen.py', 'app/main.py', 'web/app.tsx', 'web/lib.mjs']);
    const explicit: string[] = [];
    for await (const f of walkFiles(path.join(dir, 'generated/a.py'))) explicit.push(path.relative(dir, f));
    assert.deepEqual(explicit, ['generated/a.py'], 'a file named explicitly is linted even when ignored');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the walk is depth-first in name order and honours the .gitignore files above it up to the repository root', async () => {
  const dir = tempTree({
    '.gitignore': 'b.py\n', // above the repository: not in force
    'repo/.git/HEAD': '', 'repo/.gitignore': 'skip.py\nsrc/m/ignored/\n',
    'repo/src/a.py': '', 'repo/src/b.py': '', 'repo/src/skip.py': '', 'repo/src/m/c.py': '', 'repo/src/m/ignored/i.py': '',
    'repo/src/n.py': '', 'repo/src/z/d.py': '',
  });
  try {
    const src = path.join(dir, 'repo/src');
    const files: string[] = [];
    for await (const f of walkFiles(src)) files.push(path.relative(src, f));
    assert.deepEqual(files, ['a.py', 'b.py', 'm/c.py', 'n.py', 'z/d.py']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the reader returns each file whole: empty, short, exactly its buffer, and larger than it (the buffer grows)', () => {
  const sizes = [0, 5, 1 << 20, (1 << 20) + 1, 3 << 20];
  const root = tempTree(Object.fromEntries(sizes.map((n) => [`f${n}.py`, 'x'.repeat(n).replace(/x$/, 'y')])));
  try {
    for (const n of sizes) {
      const bytes = readScratch(path.join(root, `f${n}.py`)).bytes;
      assert.equal(bytes.length, n);
      if (n > 0) assert.equal(bytes.at(-1), 'y'.charCodeAt(0), `${n} bytes: the last byte is the file's`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
