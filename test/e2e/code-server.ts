// A real VS Code for one test: code-server with the .vsix installed into a fresh extensions dir, fresh user
// settings, auth none, on 127.0.0.1 and a free port, in its own process group (the extension host and the
// daemon it forks included) so stop() takes everything down.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../fixtures/stack/fixture';
import type { VSCodeInstall } from './install';

export interface CodeServer {
  /** The workbench URL with the workspace folder open. */
  url: string;
  logFile: string;
  /** Kills code-server's whole process group; safe to call twice. */
  stop(): Promise<void>;
}

// A quiet workbench: no welcome page, tips, trust prompt, update checks or chat panel covering the editor, and
// no animations (a screenshot must not catch a fading widget).
const settings = {
  'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off',
  'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false, 'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden', 'editor.minimap.enabled': false,
  'workbench.reduceMotion': 'on', 'remote.autoForwardPorts': false,
};

/** extraEnv reaches the extension host and the daemon it forks (variables a user's shell would export). */
export async function startCodeServer(install: VSCodeInstall, vsix: string, workspace: string, scratch: string,
  extraEnv: NodeJS.ProcessEnv = {}): Promise<CodeServer> {
  const userDir = path.join(scratch, 'user');
  fs.mkdirSync(path.join(userDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDir, 'User', 'settings.json'), JSON.stringify(settings));
  const logFile = path.join(scratch, 'code-server.log');
  // code-server writes ~/.local/share/code-server: a private HOME keeps runs apart. An extension gallery without
  // a serviceUrl turns the marketplace off: nothing leaves the machine (open-vsx.org is code-server's default).
  const env = { ...process.env, ...extraEnv, HOME: path.join(scratch, 'home'), EXTENSIONS_GALLERY: '{}' };
  const dirs = ['--config', path.join(scratch, 'config.yaml'), '--user-data-dir', userDir, '--extensions-dir', path.join(scratch, 'extensions')];
  // The way a user installs a .vsix: VS Code unpacks it and validates the manifest.
  await promisify(execFile)(install.codeServer, [...dirs, '--install-extension', vsix], { env, timeout: 60_000 });

  const port = await freePort();
  const log = fs.openSync(logFile, 'a');
  const child = spawn(install.codeServer, [...dirs, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--ignore-last-opened', workspace], { env, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exited = false;
  child.on('exit', () => { exited = true; });
  // Last resort if the test process ends without stop(): a detached group would outlive it.
  const killOnExit = () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone already */ } };
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      try { process.kill(-child.pid!, signal); } catch { return; }   // ESRCH: the group is gone
      for (let i = 0; i < 20 && groupAlive(child.pid!); i++) await sleep(100);
      if (!groupAlive(child.pid!)) return;
    }
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await healthy(base))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not come up on ${base}: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    await sleep(100);
  }
  return { url: `${base}/?folder=${encodeURIComponent(workspace)}`, logFile, stop };
}

async function healthy(base: string): Promise<boolean> {
  try {
    return (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
