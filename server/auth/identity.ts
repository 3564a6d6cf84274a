// The workspace's token identity, resolved once: the HS256 secret (and where it came from), the issuer and
// audience to stamp and check, and the JWKS URL of a real auth service. Every minter (CLI, probes, the
// editor's requests, scenario runs) and the local backend's verifier take it from here.
import type { HandshakeConfig } from '../config/config';
import { loadComposeProject } from '../stack/compose/load';
import type { ComposeProject } from '../stack/compose/model';
import { composeSecret, resolveSecret, type ResolvedSecret } from './secret';
import { mintToken } from './token';
import type { VerifyOptions } from './verify';

export interface MintRequest {
  /** Lifetime such as "15m", "2h", "30s" (default 15m). */
  ttl?: string;
  claims?: Record<string, unknown>;
}

export interface Identity {
  /** Where the secret came from, safe to show (never the secret). */
  readonly source: string;
  /** What a verifier of these tokens needs: the secret, issuer, audience and JWKS URL. */
  readonly verifyOptions: VerifyOptions;
  mint(user: string, request?: MintRequest): Promise<string>;
}

function identityOf(config: HandshakeConfig, resolved: ResolvedSecret): Identity {
  const { issuer, audience, jwksUrl } = config.jwt;
  return {
    source: resolved.source,
    verifyOptions: { secret: resolved.secret, issuer, audience, jwksUrl },
    mint: (user, request = {}) => mintToken({ user, secret: resolved.secret, issuer, audience, ...request }),
  };
}

/** The identity of a workspace: the config's secret order with the compose stack's own secret in its place,
 *  so one token works against both the local backend and the Docker stack. A caller that already holds the
 *  loaded project (the monitor's probes) passes it; otherwise the compose files are read. */
export function workspaceIdentity(config: HandshakeConfig, env: NodeJS.ProcessEnv = process.env,
  project: ComposeProject | undefined = loadQuietly(config, env)): Identity {
  return identityOf(config, resolveSecret(config, env, project && composeSecret(project)));
}

function loadQuietly(config: HandshakeConfig, env: NodeJS.ProcessEnv): ComposeProject | undefined {
  try {
    return loadComposeProject(config.workspace, config, env);
  } catch {
    // No compose file, or one that does not load: `status` reports that; the other sources still serve.
    return undefined;
  }
}
