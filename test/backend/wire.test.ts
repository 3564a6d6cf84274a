// The pure pieces other parts build on: close codes in words, both envelopes, and token extraction from
// raw upgrade headers (the order of SPEC 3 and the subprotocol selection rule).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeCodeMeaning, eventEssentials } from '../../$shared/wire';
import { extractToken } from '../../server/auth/verify';
import { redactHeaders } from '../../server/auth/redact';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl';
const B64 = Buffer.from(JWT).toString('base64url');

test('closeCodeMeaning names the codes a user meets', () => {
  assert.match(closeCodeMeaning(1000), /normal/);
  assert.match(closeCodeMeaning(1001), /going away/);
  assert.match(closeCodeMeaning(1006), /abnormal/);
  assert.match(closeCodeMeaning(1008), /policy/);
  assert.match(closeCodeMeaning(1009), /too big/);
  assert.match(closeCodeMeaning(1013), /try again later/);
  assert.match(closeCodeMeaning(4401), /application/);
  assert.match(closeCodeMeaning(2999), /unknown/);
});

test('eventEssentials reads the flat envelope and the older {type, payload, timestamp} one', () => {
  assert.deepEqual(eventEssentials({ type: 'agent_started', run_id: 'r', data: { a: 1 } }), { type: 'agent_started', data: { a: 1 } });
  assert.deepEqual(eventEssentials({ type: 'agent_started', payload: { b: 2 }, timestamp: 1_700_000_000 }), { type: 'agent_started', data: { b: 2 } });
  assert.equal(eventEssentials({ payload: {} }), undefined);
  assert.equal(eventEssentials('agent_started'), undefined);
});

test('extractToken: header first, then subprotocol entries raw or base64url, with the selection rule', () => {
  assert.deepEqual(extractToken({}), {});
  assert.deepEqual(extractToken({ authorization: `Bearer ${JWT}` }), { token: JWT, via: 'header' });
  assert.deepEqual(extractToken({ 'sec-websocket-protocol': `bearer.${JWT}` }), { token: JWT, via: 'subprotocol', selectedProtocol: `bearer.${JWT}` });
  assert.deepEqual(extractToken({ 'sec-websocket-protocol': `jwt-auth, jwt.${B64}` }), { token: JWT, via: 'subprotocol', selectedProtocol: 'jwt-auth' });
  assert.deepEqual(extractToken({ 'sec-websocket-protocol': `chat, jwt-auth.${B64}` }), { token: JWT, via: 'subprotocol', selectedProtocol: `jwt-auth.${B64}` });
  assert.deepEqual(extractToken({ authorization: `Bearer ${JWT}`, 'sec-websocket-protocol': 'jwt-auth' }), { token: JWT, via: 'header', selectedProtocol: 'jwt-auth' });
  assert.deepEqual(extractToken({ 'sec-websocket-protocol': 'chat' }), {});
});

test('redactHeaders keeps the scheme and a few characters, never the token', () => {
  const headers = redactHeaders({ authorization: `Bearer ${JWT}`, 'sec-websocket-protocol': `jwt-auth, jwt.${B64}`, host: '127.0.0.1:1' });
  assert.equal(headers.host, '127.0.0.1:1');
  assert.match(headers.authorization!, /^Bearer eyJhbG…$/);
  assert.match(headers['sec-websocket-protocol']!, /^jwt-auth, jwt\.[^,]{1,7}…$/);
  assert.ok(!JSON.stringify(headers).includes(JWT.slice(10)) && !JSON.stringify(headers).includes(B64.slice(10)));
});
