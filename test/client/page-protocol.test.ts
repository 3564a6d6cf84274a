// The panel's page is untrusted: each message it posts is checked field by field before the host acts on it,
// and the page's HTML carries a CSP of default-src 'none' with its one script by nonce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, panelHtml } from '../../client/panel/html';
import { parsePageMessage } from '../../client/panel/page-protocol';

const connect = { kind: 'connect', column: 'col1', user: 'alice', claims: { role: 'admin' }, ttl: '15m', url: 'ws://127.0.0.1:8787/ws', auth: 'header' };

test('well-formed page messages pass, with only the fields the host knows', () => {
  assert.deepEqual(parsePageMessage({ ...connect, extra: 'dropped' }), connect);
  assert.deepEqual(parsePageMessage({ kind: 'send', column: 'col1', sessionId: 'panel_1', message: { type: 'ping' } }),
    { kind: 'send', column: 'col1', sessionId: 'panel_1', message: { type: 'ping' } });
  assert.deepEqual(parsePageMessage({ kind: 'send', column: 'col1', sessionId: 'panel_1', message: 'not json on purpose' })?.kind, 'send');
  assert.deepEqual(parsePageMessage({ kind: 'ready' }), { kind: 'ready' });
});

test('anything else is dropped: unknown kinds, wrong types, non-ws URLs, odd ids, oversized payloads', () => {
  const bad: unknown[] = [
    null, 'ready', [], { kind: 'eval', code: 'x' },
    { ...connect, url: 'http://127.0.0.1:8787/ws' }, { ...connect, url: 'javascript:alert(1)' }, { ...connect, auth: 'cookie' },
    { ...connect, user: '' }, { ...connect, claims: [] }, { ...connect, ttl: '15 minutes' }, { ...connect, column: '../../x' },
    { kind: 'send', column: 'col1', sessionId: 'panel_1', message: 42 },
    { kind: 'send', column: 'col1', sessionId: 'panel_1', message: { blob: 'x'.repeat(70_000) } },
    { kind: 'disconnect', sessionId: { $ne: 1 } },
    { kind: 'save', entry: { name: '', message: { type: 'ping' } } },
    { kind: 'save', entry: { name: 'x', message: { type: 'ping' }, expect: 'pong' } },
    { kind: 'save', entry: { name: 'x', message: { type: 'ping' }, auth: 'none' } },
    { kind: 'copy', text: 7 },
  ];
  for (const m of bad) assert.equal(parsePageMessage(m), undefined, JSON.stringify(m).slice(0, 120));
});

test('the page: default-src none, the script by nonce only, styles from the extension, nothing remote', () => {
  const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc123');
  assert.match(csp, /^default-src 'none'; script-src 'nonce-abc123'; style-src https:\/\/file\+\.vscode-resource/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  const html = panelHtml({ cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/dist/panel.js', styleUri: 'vscode-resource:/media/panel.css' }, 'n0nce');
  assert.match(html, /<script nonce="n0nce" src="vscode-resource:\/dist\/panel.js"><\/script>/);
  assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, no inline code');
  assert.doesNotMatch(html, /https?:\/\//, 'nothing loaded from the network');
  assert.notEqual(panelHtml({ cspSource: 'x', scriptUri: 'y', styleUri: 'z' }), panelHtml({ cspSource: 'x', scriptUri: 'y', styleUri: 'z' }), 'a fresh nonce each time');
});
