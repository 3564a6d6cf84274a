// Runs every compiled test file with Node's own runner (Node 20 takes no globs, so list them here).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const testDir = path.join(root, 'out', 'test');
const only = process.argv.slice(2);
const files = fs.readdirSync(testDir, { recursive: true })
  .map((f) => path.join(testDir, String(f)))
  .filter((f) => f.endsWith('.test.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
// Tests never read or write the user's own caches (handshake lint's among them).
const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'handshake-test-cache-'));
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files],
  { stdio: 'inherit', env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
fs.rmSync(cacheHome, { recursive: true, force: true });
process.exit(result.status ?? 1);
