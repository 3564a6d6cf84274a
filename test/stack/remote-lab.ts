// The "remote" the remote-engine tests reach, all on loopback: a second Docker Engine of their own on a unix
// socket and on a TCP port with TLS (certificates made here with openssl), and an sshd whose `engine` key
// lands in sessions where the docker CLI talks to that engine. Contexts are written by the real
// `docker context create` into a DOCKER_CONFIG of the lab's own. stop() ends the sshd and the engine.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../fixtures/stack/fixture';
import { makeCerts, type TestCerts } from '../support/certs';
import { SecondEngine } from '../support/second-engine';
import { SSHD, Sshd } from '../support/sshd';

export const LAB_NEEDS = ['/usr/sbin/dockerd', SSHD, '/usr/bin/openssl', '/usr/bin/ssh-keygen'];

export interface RemoteLab {
  root: string;
  engine: SecondEngine;
  sshd: Sshd;
  certs: TestCerts;
  tlsPort: number;
  /** A DOCKER_CONFIG holding the contexts remote-ssh and remote-tls. */
  dockerConfig: string;
  /** Another context, written the same way (`docker context create NAME --docker SPEC`). */
  addContext(name: string, docker: string): void;
  stop(): Promise<void>;
}

export async function remoteLab(label: string, images: string[] = []): Promise<RemoteLab> {
  const root = fs.mkdtempSync(`/tmp/hs-remote-${label}-`);
  const certs = makeCerts(path.join(root, 'certs'));
  const tlsPort = await freePort();
  const engine = new SecondEngine(root, { certs, port: tlsPort });
  const sshd = new Sshd(root, `unix://${engine.socket}`);
  const dockerConfig = path.join(root, 'docker-config');
  fs.mkdirSync(dockerConfig);
  const addContext = (name: string, docker: string) => {
    execFileSync('docker', ['context', 'create', name, '--docker', docker], { env: { ...process.env, DOCKER_CONFIG: dockerConfig }, stdio: 'ignore' });
  };
  const stop = async () => {
    await sshd.stop();
    await engine.stop();
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    await Promise.all([engine.start(), sshd.start()]);
    if (images.length) await engine.loadImages(...images);
    addContext('remote-ssh', `host=${sshd.url}`);
    const c = certs.clientDir;
    addContext('remote-tls', `host=tcp://127.0.0.1:${tlsPort},ca=${c}/ca.pem,cert=${c}/cert.pem,key=${c}/key.pem`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { root, engine, sshd, certs, tlsPort, dockerConfig, addContext, stop };
}
