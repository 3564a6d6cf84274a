// Who Handshake logs in as over ssh: the keys OpenSSH offers without a config of its own, in its order,
// the agent (SSH_AUTH_SOCK) first, then ~/.ssh/id_ed25519, id_ecdsa and id_rsa. A key that needs a
// passphrase is skipped with a note (add it to the agent instead): nothing ever prompts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { utils, type AnyAuthMethod } from 'ssh2';

export interface Identities {
  methods: AnyAuthMethod[];
  /** What was offered, for the "authentication refused" message. */
  tried: string[];
}

const KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export function sshIdentities(username: string, env: NodeJS.ProcessEnv): Identities {
  const methods: AnyAuthMethod[] = [];
  const tried: string[] = [];
  if (env.SSH_AUTH_SOCK) {
    methods.push({ type: 'agent', username, agent: env.SSH_AUTH_SOCK });
    tried.push(`the agent at ${env.SSH_AUTH_SOCK}`);
  }
  for (const name of KEY_FILES) {
    const file = path.join(env.HOME || os.homedir(), '.ssh', name);
    let text: Buffer;
    try {
      text = fs.readFileSync(file);
    } catch {
      continue;
    }
    const parsed = utils.parseKey(text);
    if (parsed instanceof Error) {
      tried.push(`${file} (skipped: ${/passphrase|encrypted/i.test(parsed.message) ? 'needs a passphrase; ssh-add it to the agent' : parsed.message})`);
      continue;
    }
    methods.push({ type: 'publickey', username, key: text });
    tried.push(file);
  }
  return { methods, tried };
}
