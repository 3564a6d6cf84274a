// A second Docker Engine of a test's own, next to the shared one (which is never touched): its own socket,
// data root, exec root and pidfile, no bridge, no iptables, and the private resolv.conf of
// scripts/docker-engine.sh; optionally also on a loopback TCP port with TLS (client certificates required).
// Stopped by its pid only. Needs root and dockerd; requireRoot says so (and fails under CI=true).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import Docker from 'dockerode';
import type { TestCerts } from './certs';

const DOCKERD = '/usr/sbin/dockerd';

/** Skips (or, under CI, fails) a test that needs root and these executables. */
export function requireRoot(t: TestContext, executables: string[] = [DOCKERD]): boolean {
  const missing = executables.filter((e) => !fs.existsSync(e));
  if (process.getuid?.() === 0 && missing.length === 0) return true;
  const reason = `needs root and ${executables.join(', ')} (missing: ${missing.join(', ') || 'root'}): sh scripts/docker-engine.sh install; sh scripts/remote-engine-deps.sh`;
  if (process.env.CI === 'true') throw new Error(reason);
  t.skip(reason);
  return false;
}

export class SecondEngine {
  readonly socket: string;
  private child: ChildProcess | undefined;

  constructor(readonly root: string, private readonly tls?: { certs: TestCerts; port: number }) {
    this.socket = path.join(root, 'docker.sock');
    fs.writeFileSync(path.join(root, 'resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  }

  /** Starts dockerd and waits (bounded) until it answers on its socket. */
  async start(timeoutMs = 30_000): Promise<void> {
    const log = fs.openSync(path.join(this.root, 'dockerd.log'), 'a');
    const tls = this.tls ? `--tlsverify --tlscacert=${this.tls.certs.ca} --tlscert=${this.tls.certs.serverCert} --tlskey=${this.tls.certs.serverKey} --host=tcp://127.0.0.1:${this.tls.port} ` : '';
    // unshare --mount: the bind-mounted resolv.conf (lookups fail at once, on loopback) is private to this dockerd.
    const script = `mount --bind '${this.root}/resolv.conf' /etc/resolv.conf && exec ${DOCKERD} --host=unix://${this.socket} ${tls}` +
      `--data-root=${this.root}/data --exec-root=${this.root}/exec --pidfile=${this.root}/dockerd.pid ` +
      '--bridge=none --iptables=false --ip-masq=false --ip6tables=false --log-level=warn';
    this.child = spawn('unshare', ['--mount', '--propagation', 'slave', 'sh', '-c', script], {
      stdio: ['ignore', log, log],
      env: { ...process.env, HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '' },
    });
    const docker = new Docker({ socketPath: this.socket, timeout: 1000 });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await docker.ping();
        return;
      } catch (e) {
        if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`second dockerd not up within ${timeoutMs} ms: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM'); // sh exec'd dockerd: this pid is dockerd itself, which stops its own containerd
    await exited;
  }

  /** Copies images from the shared engine (docker save | docker load): no registry is ever asked. */
  loadImages(...images: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      execFile('sh', ['-c', `docker save ${images.join(' ')} | docker -H unix://${this.socket} load -q`], { maxBuffer: 1 << 20 }, (error, _out, stderr) =>
        (error ? reject(new Error(`loading ${images.join(', ')}: ${stderr || error.message}`)) : resolve()));
    });
  }
}
