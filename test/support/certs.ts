// Certificates made in the test with openssl: a private CA, a server certificate for 127.0.0.1 and a client
// certificate signed by it, laid out as the Docker CLI expects a cert folder (ca.pem, cert.pem, key.pem);
// and a second, unrelated CA with its own client certificate, for the "wrong CA" failures.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TestCerts {
  ca: string;
  serverCert: string;
  serverKey: string;
  /** ca.pem, cert.pem, key.pem: the engine's CA and a client certificate it accepts. */
  clientDir: string;
  /** The same three files from another CA: neither side trusts the other. */
  strangerDir: string;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA in dir/<name>: ca.pem and ca-key.pem. */
function makeCa(dir: string, name: string): string {
  const at = path.join(dir, name);
  fs.mkdirSync(at, { recursive: true });
  openssl(at, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem',
    '-subj', `/CN=${name}`, '-days', '2');
  return at;
}

/** A certificate signed by the CA in caDir, written as out/cert.pem and out/key.pem. */
function sign(caDir: string, out: string, cn: string, extensions: string): void {
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'ext.cnf'), extensions);
  openssl(out, 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'req.csr', '-subj', `/CN=${cn}`);
  openssl(out, 'x509', '-req', '-in', 'req.csr', '-CA', path.join(caDir, 'ca.pem'), '-CAkey', path.join(caDir, 'ca-key.pem'),
    '-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'ext.cnf');
  fs.copyFileSync(path.join(caDir, 'ca.pem'), path.join(out, 'ca.pem'));
}

export function makeCerts(dir: string): TestCerts {
  const ca = makeCa(dir, 'engine-ca');
  sign(ca, path.join(dir, 'server'), '127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  sign(ca, path.join(dir, 'client'), 'handshake-test', 'extendedKeyUsage=clientAuth\n');
  const other = makeCa(dir, 'stranger-ca');
  sign(other, path.join(dir, 'stranger'), 'stranger', 'extendedKeyUsage=clientAuth\n');
  return {
    ca: path.join(ca, 'ca.pem'), serverCert: path.join(dir, 'server', 'cert.pem'), serverKey: path.join(dir, 'server', 'key.pem'),
    clientDir: path.join(dir, 'client'), strangerDir: path.join(dir, 'stranger'),
  };
}
