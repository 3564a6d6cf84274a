// How CLI verbs find a running daemon: each daemon writes one file (mode 0600, in a 0700 folder of the
// user's runtime directory) with its control address, pid, workspace and session token, and removes it on
// exit. Files of dead processes are stale: ignored and cleaned.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface DiscoveryRecord {
  pid: number;
  /** http://127.0.0.1:PORT of the control API. */
  controlUrl: string;
  /** The per-session token the control API requires. Never printed. */
  token: string;
  workspace: string;
  /** Which face started it: serve, editor or proxy. */
  kind: 'serve' | 'editor' | 'proxy';
  startedAt: string;
}

export function discoveryDir(env: NodeJS.ProcessEnv = process.env): string {
  // XDG_RUNTIME_DIR is per user, 0700 and cleared at logout; elsewhere a per-uid folder under the temp dir.
  return env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'handshake') : path.join(os.tmpdir(), `handshake-${process.getuid?.() ?? 'user'}`);
}

export function newSessionToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Writes this daemon's record; the returned function removes it (call it on exit). */
export function publishDaemon(record: DiscoveryRecord, env: NodeJS.ProcessEnv = process.env): { file: string; remove(): void } {
  const dir = discoveryDir(env);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A folder someone else made (or made world-readable) must not hold our tokens.
  const stat = fs.statSync(dir);
  if ((process.getuid && stat.uid !== process.getuid()) || (stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  const file = path.join(dir, `daemon-${record.pid}-${crypto.randomBytes(4).toString('hex')}.json`);
  fs.writeFileSync(file, JSON.stringify(record), { mode: 0o600, flag: 'wx' });
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    fs.rmSync(file, { force: true });
  };
  process.once('exit', remove);
  return { file, remove };
}

/** Live daemons, newest first; stale files (dead pid, unreadable) are removed on the way. */
export function liveDaemons(env: NodeJS.ProcessEnv = process.env): DiscoveryRecord[] {
  const dir = discoveryDir(env);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /^daemon-\d+-[0-9a-f]+\.json$/.test(n));
  } catch {
    return [];
  }
  const live: DiscoveryRecord[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const record = readRecord(file);
    if (record && alive(record.pid)) live.push(record);
    else fs.rmSync(file, { force: true });
  }
  return live.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/** The daemon `--daemon` names (a pid or a control URL), else the newest live one (of `workspace`, when given). */
export function findDaemon(named: string | undefined, env: NodeJS.ProcessEnv = process.env, workspace?: string): DiscoveryRecord | undefined {
  const live = liveDaemons(env);
  if (named === undefined) return live.find((d) => workspace === undefined || path.resolve(d.workspace) === path.resolve(workspace));
  return live.find((d) => String(d.pid) === named || d.controlUrl === named.replace(/\/$/, ''));
}

function readRecord(file: string): DiscoveryRecord | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(file, 'utf8')) as DiscoveryRecord;
    return typeof record.pid === 'number' && typeof record.controlUrl === 'string' && typeof record.token === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it lives, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class NoDaemonError extends Error {}

/** The daemon `--daemon` names, else the newest live one; a clear error when none runs. */
export function requireDaemon(named: string | undefined, env: NodeJS.ProcessEnv = process.env): DiscoveryRecord {
  const found = findDaemon(named, env);
  if (found) return found;
  if (named !== undefined) {
    const live = liveDaemons(env).map((d) => `${d.pid} (${d.kind}, ${d.workspace})`);
    throw new NoDaemonError(`no live Handshake daemon matches --daemon ${named}${live.length ? `; running: ${live.join(', ')}` : ''}`);
  }
  throw new NoDaemonError('no Handshake daemon is running: start one with `handshake serve` (or open the workspace in VS Code with the extension, or run `handshake proxy`)');
}
