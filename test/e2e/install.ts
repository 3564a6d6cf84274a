// Where scripts/setup-vscode.sh put the real VS Code (code-server), vsce and Chromium, and packaging this repo
// into a .vsix with them. Like test/support/docker.ts: on a laptop without the install the test skips and says
// why; in CI (CI=true) a missing install is a failure, never a silent skip.
import type { TestContext } from 'node:test';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const repoRoot = path.resolve(__dirname, '../../..');
const vscodeDir = process.env.HANDSHAKE_VSCODE_DIR ?? '/tmp/handshake-vscode';

export interface VSCodeInstall {
  /** Wrapper running code-server's entry on Node 24. */
  codeServer: string;
  /** Wrapper running @vscode/vsce on Node 24. */
  vsce: string;
  chromium: string;
}

export function requireVSCode(t: TestContext): VSCodeInstall | undefined {
  const install: VSCodeInstall = {
    codeServer: path.join(vscodeDir, 'bin', 'code-server'),
    vsce: path.join(vscodeDir, 'bin', 'vsce'),
    chromium: process.env.HANDSHAKE_CHROMIUM ?? '/usr/bin/chromium',
  };
  const missing = Object.values(install).filter((file) => !fs.existsSync(file));
  if (missing.length === 0) return install;
  const reason = `no real VS Code to test in (missing ${missing.join(', ')}); install it with: bash scripts/setup-vscode.sh`;
  if (process.env.CI === 'true') throw new Error(reason);
  t.skip(reason);
  return undefined;
}

/**
 * `vsce package` of the built repo (dist/ must be current): the same .vsix a user installs. --no-dependencies:
 * the bundles are self-contained, and .vscodeignore keeps node_modules out. --no-rewrite-relative-links: the
 * README's screenshots ship in the package, and the repository URL is not a real host to point them at.
 */
export async function packageVsix(install: VSCodeInstall, outDir: string): Promise<string> {
  const vsix = path.join(outDir, 'handshake.vsix');
  await promisify(execFile)(install.vsce, ['package', '--no-dependencies', '--skip-license', '--no-rewrite-relative-links', '-o', vsix],
    { cwd: repoRoot, timeout: 60_000 });
  return vsix;
}
