// The JWT secret the stack itself uses, read from the compose file: the auth or backend service's
// JWT_SECRET_KEY (and kin). resolveSecret takes it as its third argument, so dev tokens minted by
// Handshake verify against the real services without any configuration.
import type { ResolvedSecret } from '../../auth/secret';
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
