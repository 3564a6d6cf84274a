// A real OpenSSH server (Debian's openssh-server) of the test's own on a loopback port: a throwaway host key,
// key authentication only, and per-key environments in its authorized_keys, so one server plays every
// remote the tests need: the `engine` key's sessions have DOCKER_HOST pointing at a second engine's socket,
// the `nocli` key's sessions choose a Docker context (only the remote CLI can follow it: dial-stdio) and
// have no docker on PATH, and the `stranger` key is not authorized at all. Clients get a HOME of their own (keys, known_hosts).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from '../fixtures/stack/fixture';

export const SSHD = '/usr/sbin/sshd';
export type ClientKey = 'engine' | 'nocli' | 'stranger';

export interface ClientHome {
  home: string;
  /** HOME, with SSH_AUTH_SOCK removed so no agent of the machine's takes part. */
  env: NodeJS.ProcessEnv;
}

export class Sshd {
  private child: ChildProcess | undefined;
  port = 0;

  constructor(private readonly root: string, dockerHost: string) {
    for (const name of ['host', 'engine', 'nocli', 'stranger']) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path.join(root, `${name}_key`)]);
    }
    const pub = (name: string) => fs.readFileSync(path.join(root, `${name}_key.pub`), 'utf8').trim();
    // The login user (root here) gets a home of the lab's own, as a remote account has: its shell reads the
    // lab's empty .bashrc, not this machine's, and no ~/.docker of this machine chooses an engine there.
    const home = path.join(root, 'remote-home');
    fs.mkdirSync(home);
    fs.writeFileSync(path.join(home, '.bashrc'), '');
    const session = `environment="HOME=${home}"`;
    fs.writeFileSync(path.join(root, 'authorized_keys'), `${session},environment="DOCKER_HOST=${dockerHost}" ${pub('engine')}\n` +
      `${session},environment="DOCKER_CONTEXT=build-box",environment="PATH=/nonexistent" ${pub('nocli')}\n`);
  }

  async start(): Promise<void> {
    this.port = await freePort();
    fs.mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege separation directory
    const config = path.join(this.root, 'sshd_config');
    fs.writeFileSync(config, [
      `Port ${this.port}`, 'ListenAddress 127.0.0.1', `HostKey ${path.join(this.root, 'host_key')}`, `PidFile ${path.join(this.root, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(this.root, 'authorized_keys')}`, 'AuthenticationMethods publickey', 'PasswordAuthentication no',
      'KbdInteractiveAuthentication no', 'UsePAM no', 'PermitRootLogin prohibit-password', 'PermitUserEnvironment yes',
      // The test's temp folders are world-writable up the path: sshd's ownership checks would refuse them.
      'StrictModes no', 'AllowTcpForwarding yes', 'LogLevel ERROR', '',
    ].join('\n'));
    this.child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', fs.openSync(path.join(this.root, 'sshd.log'), 'a')] });
    const deadline = Date.now() + 10_000;
    while (!(await accepts(this.port))) {
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`sshd not listening: ${fs.readFileSync(path.join(this.root, 'sshd.log'), 'utf8')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** The known_hosts line that trusts this server. */
  knownHostsLine(): string {
    const [type, key] = fs.readFileSync(path.join(this.root, 'host_key.pub'), 'utf8').trim().split(/\s+/);
    return `[127.0.0.1]:${this.port} ${type} ${key}`;
  }

  /** A HOME whose ~/.ssh holds the given key as id_ed25519 (none: no key file) and, when trusted, this server's host key. */
  clientHome(name: string, key: ClientKey | undefined, knownHosts: string | undefined = this.knownHostsLine()): ClientHome {
    const home = path.join(this.root, `home-${name}`);
    fs.mkdirSync(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
    if (key) fs.copyFileSync(path.join(this.root, `${key}_key`), path.join(home, '.ssh', 'id_ed25519'));
    if (knownHosts) fs.writeFileSync(path.join(home, '.ssh', 'known_hosts'), `${knownHosts}\n`);
    const { SSH_AUTH_SOCK: _agent, ...env } = process.env;
    return { home, env: { ...env, HOME: home } };
  }

  keyFile(key: ClientKey): string {
    return path.join(this.root, `${key}_key`);
  }

  get url(): string {
    return `ssh://root@127.0.0.1:${this.port}`;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
