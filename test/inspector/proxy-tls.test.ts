// A wss:// upstream whose certificate a private CA signed (made here with openssl): verified by default,
// trusted with --ca, refused without it (the client hears 502 with the TLS reason), accepted with --insecure.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { tempTree } from '../support/temp-tree';
import { client, recordedProxy, until } from './support';

function makeCa(dir: string): { ca: Buffer; key: Buffer; cert: Buffer } {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=Handshake Test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext']);
  const read = (f: string) => fs.readFileSync(path.join(dir, f));
  return { ca: read('ca.pem'), key: read('server.key'), cert: read('server.pem') };
}

async function wssUpstream(t: TestContext, key: Buffer, cert: Buffer): Promise<string> {
  const server = https.createServer({ key, cert });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.on('message', (data) => ws.send(`echo:${String(data)}`)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  t.after(() => new Promise<void>((resolve) => {
    for (const c of wss.clients) c.terminate();
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return `wss://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('wss upstream: trusted with its CA, refused (502, TLS reason) without it, accepted with insecure', async (t) => {
  const dir = tempTree({}, 'hs-tls-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { ca, key, cert } = makeCa(dir);
  const target = await wssUpstream(t, key, cert);

  const trusted = await recordedProxy(t, target, { ca });
  const c = client(`${trusted.proxy.url}/ws`);
  await c.opened;
  c.ws.send('hello');
  await until(() => c.received.length === 1, 'the echo');
  assert.equal(c.received[0]!.data.toString(), 'echo:hello');
  c.ws.close();
  await until(() => trusted.recorder.summaries()[0]?.phase === 'closed', 'the record');
  assert.equal(trusted.recorder.summaries()[0]!.target, `${target}/ws`);

  const strict = await recordedProxy(t, target);
  const refused = client(`${strict.proxy.url}/ws`);
  await assert.rejects(refused.opened, (e: Error & { status?: number }) => e.status === 502);
  await until(() => strict.recorder.summaries().length === 1, 'the refusal');
  const record = strict.recorder.detail(strict.recorder.summaries()[0]!.id)!;
  assert.equal(record.status, 502);
  assert.match(record.body ?? '', /SELF_SIGNED_CERT_IN_CHAIN|unable to verify|self.signed/i, 'the TLS reason is said');

  const insecure = await recordedProxy(t, target, { insecure: true });
  const anyway = client(`${insecure.proxy.url}/ws`);
  await anyway.opened;
  anyway.ws.close();
});
