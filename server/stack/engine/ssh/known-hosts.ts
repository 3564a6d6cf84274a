// The host key check OpenSSH does, against the same files (~/.ssh/known_hosts, then the system's): a host
// that is not listed is never silently trusted, and a listed host whose key changed is refused. Handles
// plain and hashed (|1|salt|hash) host names, `[host]:port` for ports other than 22, comma lists,
// wildcards, negations and @revoked lines.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type HostKeyVerdict = 'trusted' | 'unknown' | 'changed' | 'revoked';

export function knownHostsFiles(env: NodeJS.ProcessEnv): string[] {
  return [path.join(env.HOME || os.homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

/** How known_hosts names a host: plain on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function checkHostKey(files: string[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = knownHostsName(host, port);
  let listed = false;
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue; // A missing file lists nobody.
    }
    for (const raw of text.split('\n')) {
      const fields = raw.trim().split(/\s+/);
      if (!fields[0] || fields[0].startsWith('#')) continue;
      const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
      const [hosts = '', , blob = ''] = fields;
      if (marker === '@cert-authority' || !hostsMatch(hosts, name)) continue;
      const same = Buffer.from(blob, 'base64').equals(key);
      if (marker === '@revoked') {
        if (same) return 'revoked';
        continue;
      }
      if (same) return 'trusted';
      listed = true;
    }
  }
  return listed ? 'changed' : 'unknown';
}

function hostsMatch(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt = '', hash = ''] = hosts.split('|');
    return crypto.createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const pattern of hosts.split(',')) {
    const negated = pattern.startsWith('!');
    if (!glob(negated ? pattern.slice(1) : pattern).test(name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function glob(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}
