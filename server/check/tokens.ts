// Where each user's token comes from: minted with the workspace's identity (auth/identity.ts, the one way
// Handshake mints), or a login request to an HTTP endpoint whose JSON answer holds it, the way the service's
// auth service hands them out. Tokens stay in memory: reports name users, never tokens.
import { decodeJwt } from 'jose';
import type { Identity } from '../auth/identity';
import { bodyMessage } from '../wsclient/failure';
import { readPath } from '../wsclient/sequence';
import { substitute, type TokenSource, type UserVars } from './scenario';

export type TokenResult = { ok: true; token: string; subject: string | undefined } | { ok: false; reason: string };

export type TokenIssuer = (vars: UserVars) => Promise<TokenResult>;

/** How long a login request may take before the user's connect step fails. */
const LOGIN_TIMEOUT_MS = 10_000;

export function tokenIssuer(source: TokenSource, identity: () => Identity): TokenIssuer {
  if (source.source === 'mint') {
    const minter = identity();
    return async (vars) => ({ ok: true, token: await minter.mint(vars.user, { ttl: source.ttl, claims: source.claims }), subject: vars.user });
  }
  return (vars) => login(source, vars);
}

async function login(source: Extract<TokenSource, { source: 'login' }>, vars: UserVars): Promise<TokenResult> {
  const at = `login at ${source.url}`;
  let answer: Response;
  try {
    answer = await fetch(source.url, {
      method: source.method,
      headers: { ...(source.body === undefined ? {} : { 'content-type': 'application/json' }), ...substitute(source.headers, vars) },
      body: source.body === undefined ? undefined : JSON.stringify(substitute(source.body, vars)),
      signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
    });
  } catch (e) {
    const cause = (e as { cause?: NodeJS.ErrnoException }).cause;
    return { ok: false, reason: `${at} failed: ${cause?.code ?? (e as Error).message}` };
  }
  const text = await answer.text();
  if (!answer.ok) return { ok: false, reason: `${at} refused with HTTP ${answer.status}${text ? `: ${bodyMessage(text)}` : ''}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${at} answered ${answer.status} but not with JSON` };
  }
  const token = readPath(json, source.tokenPath);
  if (typeof token !== 'string' || token === '') return { ok: false, reason: `${at}: the answer has no token at ${source.tokenPath}` };
  return { ok: true, token, subject: subjectOf(token) };
}

/** The user id the server will know the user by: the token's `sub` (read, not verified: the server verifies). */
function subjectOf(token: string): string | undefined {
  try {
    return decodeJwt(token).sub;
  } catch {
    return undefined;
  }
}
