// A throwaway directory holding the given files (relative paths, parents created): a workspace for tests
// that read real files. The caller removes it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempTree(files: Record<string, string>, prefix = 'handshake-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
