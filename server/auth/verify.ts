// Finds the JWT of a WebSocket upgrade request (Authorization header first, then Sec-WebSocket-Protocol
// entries) and verifies it with jose, turning every failure into one machine-readable reason.
import type { IncomingHttpHeaders } from 'node:http';
import { webcrypto } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';

export type RefusalReason =
  | 'missing_token' | 'malformed_token' | 'token_expired' | 'token_not_yet_valid' | 'invalid_signature'
  | 'invalid_issuer' | 'invalid_audience' | 'alg_none' | 'algorithm_not_allowed' | 'missing_subject'
  | 'invalid_claims' | 'jwks_unavailable';

export interface VerifyOptions { secret?: string; issuer?: string; audience?: string; jwksUrl?: string }

export type VerifyResult = { ok: true; claims: JWTPayload & { sub: string } } | { ok: false; reason: RefusalReason };

/** Subprotocol names that carry a token as `<name>.<token>`; offered bare, they name the auth scheme. */
export const TOKEN_PROTOCOLS = ['jwt', 'jwt-auth', 'bearer'] as const;

export interface ExtractedToken {
  /** Undefined when the request carries no token at all (refused as missing_token). */
  token?: string;
  via?: 'header' | 'subprotocol';
  /** The subprotocol the server must answer with (RFC 6455: one of those offered), if any was offered. */
  selectedProtocol?: string;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

/** Offered subprotocols, in order: the header may repeat and each value is a comma-separated list. */
export function offeredProtocols(headers: IncomingHttpHeaders): string[] {
  const raw = headers['sec-websocket-protocol'];
  const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return values.flatMap((v) => v.split(',')).map((p) => p.trim()).filter(Boolean);
}

/** An entry `jwt.<token>` (and kin) as its prefix and token; the token may be raw or base64url-encoded. */
export function tokenOfProtocol(entry: string): string | undefined {
  const dot = entry.indexOf('.');
  if (dot < 0 || !(TOKEN_PROTOCOLS as readonly string[]).includes(entry.slice(0, dot))) return undefined;
  const carried = entry.slice(dot + 1);
  if (JWT_SHAPE.test(carried)) return carried;
  const decoded = Buffer.from(carried, 'base64url').toString('utf8');
  // Anything that is neither a JWT nor one encoded is still the client's token: verification calls it malformed.
  return JWT_SHAPE.test(decoded) ? decoded : carried;
}

export function extractToken(headers: IncomingHttpHeaders): ExtractedToken {
  const offered = offeredProtocols(headers);
  const bare = offered.find((p) => (TOKEN_PROTOCOLS as readonly string[]).includes(p));
  const bearing = offered.find((p) => tokenOfProtocol(p) !== undefined);
  const selectedProtocol = bare ?? bearing;
  const result: ExtractedToken = selectedProtocol ? { selectedProtocol } : {};
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const m = /^Bearer\s+(\S*)\s*$/i.exec(authorization);
    // A present but unusable Authorization header is the client's chosen credential: malformed, not missing.
    return { ...result, token: m?.[1] ?? authorization, via: 'header' };
  }
  if (bearing) return { ...result, token: tokenOfProtocol(bearing), via: 'subprotocol' };
  return result;
}

// Importing an HS256 key costs about as much as checking a signature: import each secret once per process.
const hmacKeys = new Map<string, Promise<webcrypto.CryptoKey>>();

/** The secret as a WebCrypto HMAC-SHA-256 key that can sign and verify, imported once. */
export function hmacKey(secret: string): Promise<webcrypto.CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    hmacKeys.set(secret, key);
  }
  return key;
}

// jose caches and refreshes keys per JWKS; keep one set per URL for the process.
const jwksSets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function jwksFor(url: string) {
  let set = jwksSets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url));
    jwksSets.set(url, set);
  }
  return set;
}

export async function verifyToken(token: string, opts: VerifyOptions): Promise<VerifyResult> {
  if (!token) return { ok: false, reason: 'missing_token' };
  if (!JWT_SHAPE.test(token)) return { ok: false, reason: 'malformed_token' };
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return { ok: false, reason: 'malformed_token' };
  }
  // Unsecured JWTs are refused by name before any key is looked at.
  if (!alg || alg.toLowerCase() === 'none') return { ok: false, reason: 'alg_none' };
  const claimChecks = { issuer: opts.issuer, audience: opts.audience };
  try {
    const { payload } = opts.jwksUrl
      // A real auth service signs with asymmetric keys published as a JWKS.
      ? await jwtVerify(token, jwksFor(opts.jwksUrl), { ...claimChecks, algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'] })
      // Dev tokens: HS256 with the workspace secret, and nothing else.
      : await jwtVerify(token, await hmacKey(opts.secret ?? ''), { ...claimChecks, algorithms: ['HS256'] });
    if (typeof payload.sub !== 'string' || payload.sub === '') return { ok: false, reason: 'missing_subject' };
    return { ok: true, claims: payload as JWTPayload & { sub: string } };
  } catch (e) {
    return { ok: false, reason: reasonOf(e) };
  }
}

/** Tokens a verifier remembers: enough for every client of a busy local backend, bounded all the same. */
const REMEMBERED_TOKENS = 10_000;

/**
 * verifyToken for one verifier's options, remembering tokens it accepted until they expire: clients reconnect
 * with the same token (reloads, retries, several tabs), and its signature and claims do not change. Time-bound
 * claims are checked again on every use; anything refused is verified afresh next time.
 */
export function tokenVerifier(opts: VerifyOptions): (token: string) => Promise<VerifyResult> {
  const accepted = new Map<string, JWTPayload & { sub: string }>();
  return async (token) => {
    const claims = accepted.get(token);
    const now = Date.now() / 1000;
    if (claims && (claims.exp === undefined || claims.exp > now) && (claims.nbf === undefined || claims.nbf <= now)) return { ok: true, claims };
    accepted.delete(token);
    const verdict = await verifyToken(token, opts);
    if (verdict.ok) {
      // Oldest first out: a Map iterates in insertion order.
      if (accepted.size >= REMEMBERED_TOKENS) accepted.delete(accepted.keys().next().value!);
      accepted.set(token, verdict.claims);
    }
    return verdict;
  };
}

function reasonOf(e: unknown): RefusalReason {
  if (e instanceof errors.JWTExpired) return 'token_expired';
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'nbf') return 'token_not_yet_valid';
    if (e.claim === 'iss') return 'invalid_issuer';
    if (e.claim === 'aud') return 'invalid_audience';
    return 'invalid_claims';
  }
  if (e instanceof errors.JWSSignatureVerificationFailed || e instanceof errors.JWKSNoMatchingKey) return 'invalid_signature';
  if (e instanceof errors.JOSEAlgNotAllowed) return 'algorithm_not_allowed';
  if (e instanceof errors.JWKSTimeout || e instanceof errors.JWKSInvalid) return 'jwks_unavailable';
  if (e instanceof errors.JOSEError) return 'malformed_token';
  // A JWKS fetch that fails outright (refused, DNS) is not the token's fault.
  return 'jwks_unavailable';
}
