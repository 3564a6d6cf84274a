// The JWT secret the stack itself uses, read from the compose file: the auth or backend service's
// JWT_SECRET_KEY (and kin). resolveSecret takes it as its third argument, so dev tokens minted by
// Handshake verify against the real services without any configuration.
import { resolveSecret, type ResolvedSecret } from '../../auth/secret';
import type { HandshakeConfig } from '../../config/config';
import { loadComposeProject } from './load';
import type { ComposeProject } from './model';

const SECRET_VARS = ['JWT_SECRET_KEY', 'JWT_SECRET', 'JWT_SIGNING_KEY', 'JWT_KEY', 'AUTH_JWT_SECRET', 'AUTH_SECRET_KEY'];
const AUTH_OR_BACKEND = /auth|backend|api|server|gateway/i;

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

/** resolveSecret with the compose stack's secret in its place in the order: what every token minter and the
 *  local backend use, so one token works against both the local backend and the Docker stack. A caller that
 *  already holds the loaded project (the monitor's probes) passes it; otherwise the compose files are read. */
export function resolveWorkspaceSecret(config: HandshakeConfig, env: NodeJS.ProcessEnv = process.env,
  project: ComposeProject | undefined = loadQuietly(config, env)): ResolvedSecret {
  return resolveSecret(config, env, project && composeSecret(project));
}

function loadQuietly(config: HandshakeConfig, env: NodeJS.ProcessEnv): ComposeProject | undefined {
  try {
    return loadComposeProject(config.workspace, config, env);
  } catch {
    // No compose file, or one that does not load: `status` reports that; the other sources still serve.
    return undefined;
  }
}
