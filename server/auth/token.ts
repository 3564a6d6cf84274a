// Mints dev JWTs (HS256) for the CLI, the probes and the message panel, with jose.
import { SignJWT } from 'jose';
import { hmacKey } from './verify';

export interface MintOptions {
  user: string;
  secret: string;
  /** Lifetime such as "15m", "2h", "30s" (jose's time span syntax). */
  ttl?: string;
  issuer?: string;
  audience?: string;
  claims?: Record<string, unknown>;
}

export async function mintToken(opts: MintOptions): Promise<string> {
  let jwt = new SignJWT({ ...opts.claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(opts.user)
    .setIssuedAt()
    .setExpirationTime(opts.ttl ?? '15m');
  if (opts.issuer) jwt = jwt.setIssuer(opts.issuer);
  if (opts.audience) jwt = jwt.setAudience(opts.audience);
  return jwt.sign(await hmacKey(opts.secret));
}
