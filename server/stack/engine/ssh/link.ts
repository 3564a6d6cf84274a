// The ssh connections to an engine's host (ssh://[user@]host[:port]), shared by everything that talks to
// that engine: a private unix socket on this machine where every connection becomes a channel to the remote
// engine (straight to its unix socket when that is what the remote CLI would use, see remote-socket.ts, else
// a `docker system dial-stdio` as the Docker CLI does), so dockerode and Docker Compose both use it as a plain
// socket; and loopback port forwards for probing ports the remote binds to its own loopback. The host key is
// checked against known_hosts; keys come from the agent or ~/.ssh; nothing prompts; every wait is bounded.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, type ClientChannel } from 'ssh2';
import { EngineFailure } from '../failure';
import { sshIdentities, type Identities } from './identities';
import { checkHostKey, knownHostsFiles, knownHostsName, type HostKeyVerdict } from './known-hosts';
import { askRemoteSocket } from './remote-socket';

export interface SshEndpoint { host: string; port: number; username: string }

/** sshd allows 10 sessions (each dial-stdio is one) per connection by default: past this many, another connection. */
const SESSIONS_PER_CONNECTION = 8;

interface Connection { ready: Promise<Client>; sessions: number }

export function parseSshHost(url: string, env: NodeJS.ProcessEnv): SshEndpoint {
  const u = new URL(url);
  const username = decodeURIComponent(u.username) || env.USER || os.userInfo().username;
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 22), username };
}

export class SshLink {
  /** The local end of the engine's socket: connect here as to /var/run/docker.sock. */
  readonly socketPath: string;
  private readonly dir: string;
  private readonly bridge: net.Server;
  private readonly forwards = new Map<string, Promise<number>>();
  private readonly servers: net.Server[] = [];
  private readonly connections: Connection[] = [];
  /** The remote engine's socket to open directly; undefined: dial-stdio. Asked once per link. */
  private remoteSocket: Promise<string | undefined> | undefined;
  private lastFailure: Error | undefined;
  /** Set by close(): a probe or request still in flight must not open a new connection after it. */
  private closed = false;

  constructor(readonly endpoint: SshEndpoint, private readonly env: NodeJS.ProcessEnv, private readonly timeoutMs: number) {
    // mkdtemp makes the folder 0700: only this user reaches the engine through it.
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handshake-ssh-'));
    this.socketPath = path.join(this.dir, 'docker.sock');
    this.bridge = net.createServer({ allowHalfOpen: true }, (local) => void this.engineChannel(local));
    // Binding a path is synchronous: requests made right after the constructor find the socket.
    this.bridge.listen(this.socketPath).unref();
  }

  /** `-p PORT user@host`, as the hints spell the ssh command. */
  get destination(): string {
    const { host, port, username } = this.endpoint;
    return `${port === 22 ? '' : `-p ${port} `}${username}@${host}`;
  }

  /** Why the last connection through the socket was dropped, unless one went through since. */
  failure(): Error | undefined {
    return this.lastFailure;
  }

  /** True when host:port accepts a connection made on the engine's host (an ssh channel there). */
  async reachable(host: string, port: number): Promise<true | string> {
    try {
      const channel = await this.channel(host, port);
      channel.close();
      return true;
    } catch (e) {
      return (e as Error).message;
    }
  }

  /** A loopback port here that leads to host:port on the engine's host; opened once, closed with the link. */
  forward(host: string, port: number): Promise<number> {
    const key = `${host}:${port}`;
    let local = this.forwards.get(key);
    if (!local) {
      const server = net.createServer((socket) => {
        this.channel(host, port).then((channel) => splice(socket, channel), () => socket.destroy());
      });
      this.servers.push(server);
      local = new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
      });
      server.unref();
      this.forwards.set(key, local);
    }
    return local;
  }

  close(): void {
    this.closed = true;
    this.bridge.close();
    for (const server of this.servers) server.close();
    this.forwards.clear();
    for (const c of this.connections.splice(0)) void c.ready.then((client) => client.end(), () => undefined);
    this.remoteSocket = undefined;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Forwarded ports and sockets are not sessions: any connection carries them. */
  private primary(): Promise<Client> {
    return (this.connections[0] ?? this.connection()).ready;
  }

  private channel(host: string, port: number): Promise<ClientChannel> {
    return this.primary().then((client) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer through ssh within ${this.timeoutMs} ms`)), this.timeoutMs);
      client.forwardOut('127.0.0.1', 0, host, port, (err, channel) => {
        clearTimeout(timer);
        if (err) reject(new Error(`${/refused/i.test(err.message) ? 'connection refused' : err.message} on ${host}:${port} at the engine's host`));
        else resolve(channel);
      });
    }));
  }

  private async engineChannel(local: net.Socket): Promise<void> {
    let channel: ClientChannel | undefined;
    try {
      this.remoteSocket ??= this.primary().then((client) => askRemoteSocket(client, this.timeoutMs));
      this.remoteSocket.catch(() => { this.remoteSocket = undefined; });
      const socket = await this.remoteSocket;
      if (socket !== undefined) channel = await this.streamLocal(socket);
    } catch (e) {
      this.lastFailure = e as Error;
      local.destroy();
      return;
    }
    if (!channel) return this.dialStdio(local);
    this.lastFailure = undefined;
    splice(local, channel);
  }

  /** A channel to the remote engine's socket; undefined when the server forbids it (dial-stdio from then on). */
  private async streamLocal(socket: string): Promise<ClientChannel | undefined> {
    const client = await this.primary();
    return new Promise((resolve, reject) => client.openssh_forwardOutStreamLocal(socket, (err, channel) => {
      if (!err) return resolve(channel);
      if (/prohibited/i.test(err.message)) {
        this.remoteSocket = Promise.resolve(undefined);
        return resolve(undefined);
      }
      const host = this.endpoint.host;
      reject(new EngineFailure(`the engine on ${host} does not answer at unix://${socket} (${err.message})`,
        `start Docker on ${host}, or check that ${this.endpoint.username} may use its socket (ssh ${this.destination} docker info)`));
    }));
  }

  private async dialStdio(local: net.Socket): Promise<void> {
    let channel: ClientChannel;
    const conn = this.connections.find((c) => c.sessions < SESSIONS_PER_CONNECTION) ?? this.connection();
    conn.sessions++;
    try {
      const client = await conn.ready;
      channel = await new Promise((resolve, reject) => client.exec('docker system dial-stdio', (err, ch) => (err ? reject(err) : resolve(ch))));
    } catch (e) {
      conn.sessions--;
      this.lastFailure = e as Error;
      local.destroy();
      return;
    }
    channel.once('close', () => conn.sessions--);
    let answered = false;
    let stderr = '';
    let exitCode: number | undefined;
    channel.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString('utf8')).slice(-2000); });
    channel.on('data', () => {
      if (!answered) this.lastFailure = undefined;
      answered = true;
    });
    channel.on('exit', (code: number | null) => { exitCode = code ?? undefined; });
    // Before the local end closes: whoever reads that close asks failure() next.
    channel.on('close', () => {
      if (!answered && exitCode) this.lastFailure = this.dialFailure(exitCode, stderr);
    });
    splice(local, channel);
  }

  private dialFailure(code: number, stderr: string): EngineFailure {
    const host = this.endpoint.host;
    const said = stderr.trim().split('\n').filter(Boolean).at(-1) ?? '(no output)';
    if (code === 127 || /command not found|not found/i.test(said)) {
      return new EngineFailure(`the Docker CLI is missing on ${host}: \`docker system dial-stdio\` exited ${code} (${said})`,
        `install the Docker CLI on ${host}, on the PATH an ssh session gets there (ssh ${this.destination} docker version must work)`);
    }
    return new EngineFailure(`the Docker CLI on ${host} cannot reach its engine: \`docker system dial-stdio\` exited ${code} (${said})`,
      `start Docker on ${host}, or check DOCKER_HOST for ${this.endpoint.username} there (ssh ${this.destination} docker info)`);
  }

  /** A new ssh connection, listed until it fails or closes. */
  private connection(): Connection {
    const ready = this.closed ? Promise.reject(new Error('the ssh link is closed')) : this.connect();
    const conn: Connection = { ready, sessions: 0 };
    const forget = () => {
      const at = this.connections.indexOf(conn);
      if (at >= 0) this.connections.splice(at, 1);
    };
    conn.ready.then((client) => client.once('close', forget), forget);
    this.connections.push(conn);
    return conn;
  }

  private connect(): Promise<Client> {
    const { host, port, username } = this.endpoint;
    const ids = sshIdentities(username, this.env);
    const files = knownHostsFiles(this.env);
    let verdict: HostKeyVerdict = 'trusted';
    const client = new Client();
    const attempt = new Promise<Client>((resolve, reject) => {
      client.once('ready', () => resolve(client));
      client.on('error', (e) => reject(this.explain(e, verdict, ids, files[0] as string)));
      client.once('close', () => reject(new EngineFailure(`the ssh connection to ${host}:${port} closed`, `check that sshd runs on ${host} (ssh ${this.destination})`)));
    });
    client.connect({
      host, port, username, readyTimeout: this.timeoutMs,
      // A host that vanishes is noticed within about 15 s even when no request is in flight.
      keepaliveInterval: 5000, keepaliveCountMax: 2,
      hostVerifier: (key: Buffer) => (verdict = checkHostKey(files, host, port, key)) === 'trusted',
      authHandler: ids.methods,
    });
    return attempt;
  }

  private explain(e: Error & { level?: string; code?: string }, verdict: HostKeyVerdict, ids: Identities, knownHosts: string): EngineFailure {
    const { host, port, username } = this.endpoint;
    const name = knownHostsName(host, port);
    const ssh = `ssh ${this.destination}`;
    if (verdict === 'unknown') return new EngineFailure(`ssh: the host key of ${name} is unknown (not in ${knownHosts})`, `run \`${ssh}\` once to check and trust it, then try again`);
    if (verdict === 'changed') {
      return new EngineFailure(`ssh: the host key of ${name} does not match ${knownHosts}: it changed, or someone is in between`,
        `if ${host} was reinstalled, remove the old key (ssh-keygen -R '${name}') and run \`${ssh}\` once`);
    }
    if (verdict === 'revoked') return new EngineFailure(`ssh: the host key of ${name} is marked @revoked in known_hosts`, 'ask the host\'s owner which key it should have');
    if (e.level === 'client-authentication') {
      return new EngineFailure(`ssh: authentication refused for ${username}@${host}:${port} (offered: ${ids.tried.join(', ') || 'no key: no agent, no ~/.ssh/id_*'})`,
        `add your public key to ~${username}/.ssh/authorized_keys on ${host}, or load the right key into the agent (ssh-add)`);
    }
    if (e.level === 'client-timeout') return new EngineFailure(`ssh: no ssh handshake with ${host}:${port} within ${this.timeoutMs} ms`, `check the address and that this machine can reach it (${ssh})`);
    const route = e.code === 'ECONNREFUSED' ? 'connection refused: no sshd listens there'
      : /^(EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT)$/.test(e.code ?? '') ? `no route to the host (${e.code})` : e.message;
    return new EngineFailure(`ssh: ${route} (${host}:${port})`, `check that sshd runs on ${host} and the address and port are right (${ssh})`);
  }
}

/** Pipes both ways; either end closing closes the other. */
function splice(socket: net.Socket, channel: ClientChannel): void {
  socket.pipe(channel).pipe(socket);
  socket.on('error', () => channel.close());
  socket.on('close', () => channel.close());
  channel.on('close', () => socket.destroy());
}
