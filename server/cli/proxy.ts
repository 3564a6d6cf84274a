// `handshake proxy`: a recording proxy in the foreground until Ctrl-C. Beside a running daemon it records into
// that daemon (so `inspect` and the editor see its connections); with none running it becomes the daemon
// (recorder, control API, discovery file), without a local backend of its own.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type ProxyConfig } from '../config/config';
import { forwardEvents } from '../daemon/control-client';
import { startDaemon } from '../daemon/daemon';
import { findDaemon } from '../daemon/discovery';
import { ConnectionEvents } from '../inspector/events';
import { ListenError, parseListen } from '../proxy/listen';
import { startProxy, type ProxyOptions, type RunningProxy } from '../proxy/proxy';
import { activityLog } from './activity-log';
import { EXIT_OK, UsageError, type Output, type Verb } from './verb';

export const proxyVerb: Verb = {
  name: 'proxy',
  usage: 'handshake proxy --listen 127.0.0.1:PORT --target ws(s)://HOST:PORT [--ca FILE] [--insecure] [--daemon PID] [--json]\n' +
    '       handshake proxy                  (the proxies of handshake.config.json)',
  options: { listen: { type: 'string' }, target: { type: 'string' }, ca: { type: 'string' }, insecure: { type: 'boolean' }, daemon: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const config = loadConfig(process.cwd());
    const wanted = values.target === undefined ? config.proxies.map((p) => fromConfig(p, config.workspace)) : [fromFlags(values)];
    if (wanted.length === 0) throw new UsageError('--target is required (or list proxies in handshake.config.json)');
    const json = values.json === true;
    const running = findDaemon(values.daemon as string | undefined);
    let proxies: RunningProxy[];
    let stop: () => Promise<void>;
    if (running) {
      const events = new ConnectionEvents();
      const forward = forwardEvents(running, events);
      events.subscribe(activityLog(io, json));
      proxies = await Promise.all(wanted.map((w) => startProxy({ ...w, events })));
      stop = async () => {
        await Promise.all(proxies.map((p) => p.close()));
        await forward.close();
      };
      announce(io, proxies, `recording into the daemon ${running.pid} (${running.kind}, ${running.workspace})`, json);
    } else {
      const daemon = await startDaemon({ workspace: config.workspace, config, kind: 'proxy', backend: false });
      daemon.events.subscribe(activityLog(io, json));
      try {
        proxies = [];
        for (const w of wanted) proxies.push(await daemon.startProxy(w));
      } catch (e) {
        await daemon.close();
        throw e;
      }
      stop = () => daemon.close();
      announce(io, proxies, 'recording in this process (no other daemon runs): `handshake inspect` reads it', json);
    }
    await new Promise<void>((resolve) => {
      const end = () => {
        process.off('SIGINT', end);
        process.off('SIGTERM', end);
        void stop().then(resolve);
      };
      process.on('SIGINT', end);
      process.on('SIGTERM', end);
    });
    return EXIT_OK;
  },
};

type Wanted = Omit<ProxyOptions, 'events'>;

function fromFlags(values: Record<string, unknown>): Wanted {
  return { ...listenOn(typeof values.listen === 'string' ? values.listen : '127.0.0.1:0', '--listen', false),
    ...upstream(values.target as string, values.ca as string | undefined, values.insecure === true, process.cwd()) };
}

function fromConfig(p: ProxyConfig, workspace: string): Wanted {
  return { ...listenOn(p.listen, 'proxies[].listen', true), ...upstream(p.target, p.ca, p.insecure === true, workspace) };
}

function listenOn(text: string, what: string, fromConfig: boolean): { host: string; port: number } {
  try {
    return parseListen(text, what, fromConfig);
  } catch (e) {
    throw e instanceof ListenError ? new UsageError(e.message) : e;
  }
}

function upstream(target: string, ca: string | undefined, insecure: boolean, base: string): Pick<Wanted, 'target' | 'ca' | 'insecure'> {
  if (!/^wss?:\/\/[^/]/i.test(target) || !URL.canParse(target)) throw new UsageError(`--target must be a ws:// or wss:// URL (got ${JSON.stringify(target)})`);
  let caPem: Buffer | undefined;
  if (ca !== undefined) {
    try {
      caPem = fs.readFileSync(path.resolve(base, ca));
    } catch (e) {
      throw new UsageError(`--ca ${ca}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return { target, ...(caPem ? { ca: caPem } : {}), ...(insecure ? { insecure } : {}) };
}

function announce(io: Output, proxies: RunningProxy[], where: string, json: boolean): void {
  if (json) {
    io.out(JSON.stringify({ proxies: proxies.map((p) => ({ url: p.url, listen: p.listen, target: p.target })), recording: where }));
    return;
  }
  io.out([
    ...proxies.map((p) => `handshake proxy: ${p.url} -> ${p.target} (the client's path and query are kept)`),
    `  ${where}`,
    '  Ctrl-C stops the proxy.',
  ].join('\n'));
}
