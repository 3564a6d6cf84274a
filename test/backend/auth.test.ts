// Every way a client can present its JWT, the subprotocol the server answers with, and every refusal
// reason (HTTP 401 with a JSON reason, before any WebSocket exists). Real sockets, real jose-signed tokens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, SignJWT } from 'jose';
import { tokenVerifier } from '../../server/auth/verify';
import { connect, refusal, SECRET, startTestBackend, token } from './support';

const b64url = (text: string) => Buffer.from(text).toString('base64url');

test('Authorization: Bearer header is accepted and names the user', async (t) => {
  const backend = await startTestBackend(t);
  const client = await connect(t, backend.wsUrl, { token: await token('alice') });
  const hello = client.events[0]!;
  assert.equal(hello.type, 'connection_established');
  assert.equal(hello.user_id, 'alice');
  assert.equal(hello.data.user_id, 'alice');
  assert.deepEqual(hello.data.events, ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed']);
  assert.deepEqual(client.schemaErrors, []);
  assert.equal(client.ws.protocol, '', 'no subprotocol offered, none selected');
});

for (const prefix of ['jwt', 'jwt-auth', 'bearer']) {
  for (const encoding of ['raw', 'base64url'] as const) {
    test(`subprotocol ${prefix}.<${encoding} token> is accepted and echoed exactly`, async (t) => {
      const backend = await startTestBackend(t);
      const jwt = await token(`user-${prefix}-${encoding}`);
      const entry = `${prefix}.${encoding === 'raw' ? jwt : b64url(jwt)}`;
      const client = await connect(t, backend.wsUrl, { protocols: [entry] });
      assert.equal(client.events[0]!.user_id, `user-${prefix}-${encoding}`);
      assert.equal(client.ws.protocol, entry);
    });
  }
}

test('browser-style offer [jwt-auth, jwt.<b64>] selects the bare jwt-auth', async (t) => {
  const backend = await startTestBackend(t);
  const client = await connect(t, backend.wsUrl, { protocols: ['jwt-auth', `jwt.${b64url(await token('browser'))}`] });
  assert.equal(client.ws.protocol, 'jwt-auth');
  assert.equal(client.events[0]!.user_id, 'browser');
});

test('the header wins over a subprotocol token', async (t) => {
  const backend = await startTestBackend(t);
  const client = await connect(t, backend.wsUrl, { token: await token('from-header'), protocols: [`jwt.${await token('from-protocol')}`] });
  assert.equal(client.events[0]!.user_id, 'from-header');
});

test('issuer and audience are checked when configured', async (t) => {
  const backend = await startTestBackend(t, { issuer: 'https://auth.local', audience: 'agents' });
  const ok = await connect(t, backend.wsUrl, { token: await token('carol', { issuer: 'https://auth.local', audience: 'agents' }) });
  assert.equal(ok.events[0]!.user_id, 'carol');
  const wrongIss = await refusal(backend.wsUrl, { headers: { Authorization: `Bearer ${await token('carol', { issuer: 'https://evil', audience: 'agents' })}` } });
  assert.deepEqual([wrongIss.status, wrongIss.body], [401, { error: 'unauthorized', reason: 'invalid_issuer' }]);
  const wrongAud = await refusal(backend.wsUrl, { headers: { Authorization: `Bearer ${await token('carol', { issuer: 'https://auth.local', audience: 'other' })}` } });
  assert.deepEqual([wrongAud.status, wrongAud.body], [401, { error: 'unauthorized', reason: 'invalid_audience' }]);
});

test('every refusal reason comes back as HTTP 401 with a machine-readable JSON reason', async (t) => {
  const backend = await startTestBackend(t);
  const now = Math.floor(Date.now() / 1000);
  const signed = (claims: Record<string, unknown>, secret = SECRET) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
  const unsecured = `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify({ sub: 'mallory', exp: now + 600 }))}.`;
  const cases: Array<[string, { headers?: Record<string, string>; protocols?: string[] }, string]> = [
    ['no token at all', {}, 'missing_token'],
    ['a bare jwt-auth offer without a token', { protocols: ['jwt-auth'] }, 'missing_token'],
    ['garbage in the header', { headers: { Authorization: 'Bearer not-a-jwt' } }, 'malformed_token'],
    ['garbage in a subprotocol', { protocols: ['jwt.garbage'] }, 'malformed_token'],
    ['a non-Bearer scheme', { headers: { Authorization: 'Basic YWxpY2U6cHc=' } }, 'malformed_token'],
    ['expired', { headers: { Authorization: `Bearer ${await signed({ sub: 'bob', exp: now - 60 })}` } }, 'token_expired'],
    ['not yet valid', { headers: { Authorization: `Bearer ${await signed({ sub: 'bob', nbf: now + 3600, exp: now + 7200 })}` } }, 'token_not_yet_valid'],
    ['wrong signature', { headers: { Authorization: `Bearer ${await signed({ sub: 'bob', exp: now + 600 }, 'another-secret-entirely-1234')}` } }, 'invalid_signature'],
    ['alg none', { headers: { Authorization: `Bearer ${unsecured}` } }, 'alg_none'],
    ['alg none in a subprotocol', { protocols: [`jwt.${b64url(unsecured)}`] }, 'alg_none'],
    ['no subject', { headers: { Authorization: `Bearer ${await signed({ exp: now + 600 })}` } }, 'missing_subject'],
  ];
  for (const [what, request, reason] of cases) {
    const { status, body } = await refusal(backend.wsUrl, request);
    assert.equal(status, 401, what);
    assert.deepEqual(body, { error: 'unauthorized', reason }, what);
  }
  assert.equal(backend.connectionCount(), 0);
});

test('an upgrade on another path is refused with 404 JSON', async (t) => {
  const backend = await startTestBackend(t);
  const { status, body } = await refusal(backend.wsUrl.replace(/\/ws$/, '/other'), { headers: { Authorization: `Bearer ${await token('alice')}` } });
  assert.equal(status, 404);
  assert.equal(body.error, 'not_found');
});

test('a verifier remembers accepted tokens only until they expire, and never a refused one', async () => {
  const verify = tokenVerifier({ secret: SECRET });
  const soon = await token('mia', { ttl: '1s' });
  assert.equal((await verify(soon)).ok, true);
  assert.deepEqual(await verify(soon), { ok: true, claims: decodeJwt(soon) }, 'the same token again: the same claims');
  const forged = `${soon.slice(0, soon.lastIndexOf('.'))}.${Buffer.from('not the signature').toString('base64url')}`;
  assert.deepEqual(await verify(forged), { ok: false, reason: 'invalid_signature' }, 'a token differing in its signature is checked on its own');
  await new Promise((resolve) => setTimeout(resolve, (decodeJwt(soon).exp! * 1000) - Date.now() + 50));
  assert.deepEqual(await verify(soon), { ok: false, reason: 'token_expired' }, 'expiry is checked on every use');
});
