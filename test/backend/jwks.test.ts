// Verifying tokens of a real auth service through its JWKS (config jwt.jwksUrl): a loopback HTTP server
// publishes an RSA public key; tokens signed with its private key pass, others are refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { connect, refusal, startTestBackend, token } from './support';

test('with jwksUrl, RS256 tokens from the published key are accepted; foreign keys and HS256 are refused', async (t) => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'auth-1', alg: 'RS256', use: 'sig' };
  const jwksServer = http.createServer((req, res) => {
    res.writeHead(req.url === '/.well-known/jwks.json' ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  t.after(() => jwksServer.close());
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  const backend = await startTestBackend(t, { jwksUrl, issuer: 'https://auth.local' });

  const sign = (key: Parameters<SignJWT['sign']>[0], kid: string, issuer = 'https://auth.local') => new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid }).setSubject('olga').setIssuer(issuer).setExpirationTime('5m').sign(key);
  const client = await connect(t, backend.wsUrl, { token: await sign(privateKey, 'auth-1') });
  assert.equal(client.events[0]!.user_id, 'olga');

  const stranger = await generateKeyPair('RS256');
  const cases: Array<[string, string, string]> = [
    ['a key the JWKS does not publish (same kid)', await sign(stranger.privateKey, 'auth-1'), 'invalid_signature'],
    ['a kid the JWKS does not have', await sign(stranger.privateKey, 'other'), 'invalid_signature'],
    ['a dev HS256 token', await token('olga', { issuer: 'https://auth.local' }), 'algorithm_not_allowed'],
    ['the right key, the wrong issuer', await sign(privateKey, 'auth-1', 'https://elsewhere'), 'invalid_issuer'],
  ];
  for (const [what, jwt, reason] of cases) {
    const { status, body } = await refusal(backend.wsUrl, { headers: { Authorization: `Bearer ${jwt}` } });
    assert.deepEqual([status, body], [401, { error: 'unauthorized', reason }], what);
  }
});
