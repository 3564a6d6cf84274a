// Resolves the HS256 secret that signs dev tokens and that the local backend verifies with.
// Order: HANDSHAKE_JWT_SECRET, the config's secret, the env var the config names, a secret found in the
// compose file's auth/backend environment, else one generated once per workspace and kept (mode 0600)
// in the user's state directory. Never a hard-coded secret.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HandshakeConfig } from '../config/config';
import type { ComposeProject } from '../stack/compose/model';

export interface ResolvedSecret {
  secret: string;
  /** Where it came from, safe to show (never the secret itself). */
  source: string;
}

function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state'), 'handshake');
}

export function resolveSecret(config: HandshakeConfig, env: NodeJS.ProcessEnv = process.env, composeSecret?: ResolvedSecret): ResolvedSecret {
  if (env.HANDSHAKE_JWT_SECRET) return { secret: env.HANDSHAKE_JWT_SECRET, source: 'HANDSHAKE_JWT_SECRET' };
  if (config.jwt.secret) return { secret: config.jwt.secret, source: `${config.file ?? 'config'} jwt.secret` };
  if (config.jwt.secretEnv) {
    const value = env[config.jwt.secretEnv];
    if (!value) throw new Error(`jwt.secretEnv names ${config.jwt.secretEnv}, but that environment variable is not set`);
    return { secret: value, source: `$${config.jwt.secretEnv}` };
  }
  if (composeSecret) return composeSecret;
  return workspaceSecret(config.workspace, env);
}

/** The generated per-workspace secret: created on first use, then read back. */
function workspaceSecret(workspace: string, env: NodeJS.ProcessEnv): ResolvedSecret {
  const key = crypto.createHash('sha256').update(path.resolve(workspace)).digest('hex').slice(0, 16);
  const dir = path.join(stateDir(env), 'secrets');
  const file = path.join(dir, `${key}.secret`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    // 'wx' fails if another process created it first; then everyone reads the same one.
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return { secret: fs.readFileSync(file, 'utf8').trim(), source: `generated for this workspace (${file})` };
}

const SECRET_VARS = ['JWT_SECRET_KEY', 'JWT_SECRET', 'JWT_SIGNING_KEY', 'JWT_KEY', 'AUTH_JWT_SECRET', 'AUTH_SECRET_KEY'];
const AUTH_OR_BACKEND = /auth|backend|api|server|gateway/i;

/** The secret the stack itself uses: the auth or backend service's JWT_SECRET_KEY (and kin) in the compose file. */
export function composeSecret(project: ComposeProject): ResolvedSecret | undefined {
  // Auth and backend services first: they are the ones that sign and verify the tokens.
  const services = Object.values(project.services)
    .sort((a, b) => Number(AUTH_OR_BACKEND.test(b.name)) - Number(AUTH_OR_BACKEND.test(a.name)));
  for (const service of services) {
    for (const name of SECRET_VARS) {
      const secret = service.environment[name];
      if (secret) return { secret, source: `compose service ${service.name} ${name} (${service.file})` };
    }
  }
  return undefined;
}
