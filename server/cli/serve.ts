// `handshake serve`: the local backend in the foreground until Ctrl-C (SIGINT) or SIGTERM, printing where it
// listens, the profile, where the JWT secret comes from (never the secret) and how to talk to it.
import type { Profile } from '../../$shared/protocol';
import { loadConfig } from '../config/config';
import type { RunningBackend } from '../backend/backend';
import { startDaemon } from '../daemon/daemon';
import { PROFILES } from '../backend/limits';
import { activityLog } from './activity-log';
import { EXIT_OK, EXIT_USAGE, UsageError, type Output, type Verb } from './verb';

export const serveVerb: Verb = {
  name: 'serve',
  usage: 'handshake serve [--port N] [--host 127.0.0.1] [--profile development|staging|production] [--json]',
  options: { port: { type: 'string' }, host: { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const config = loadConfig(process.cwd());
    const port = values.port === undefined ? undefined : parsePort(values.port as string);
    const profile = (values.profile as string | undefined) ?? config.profile;
    if (!(PROFILES as string[]).includes(profile)) throw new UsageError(`--profile must be one of ${PROFILES.join(', ')} (got ${JSON.stringify(profile)})`);
    const daemon = await startDaemon({ workspace: config.workspace, config, kind: 'serve',
      backend: { host: values.host as string | undefined, port, profile: profile as Profile } });
    if (!daemon.backend.ok) {
      io.err(`handshake serve: ${daemon.backend.error}`);
      await daemon.close();
      return EXIT_USAGE;
    }
    daemon.events.subscribe(activityLog(io, values.json === true));
    announce(io, daemon.backend.backend, daemon.identity.source, values.json === true);
    // Foreground until the user stops it; both signals mean "close every connection and exit 0".
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        if (values.json !== true) io.err('handshake serve: stopping (closing connections)…');
        void daemon.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return EXIT_OK;
  },
};

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535 (got ${JSON.stringify(text)})`);
  return port;
}

function announce(io: Output, backend: RunningBackend, secretSource: string, json: boolean): void {
  if (json) {
    io.out(JSON.stringify({ httpUrl: backend.httpUrl, wsUrl: backend.wsUrl, port: backend.port, profile: backend.profile, limits: backend.limits, secretSource }));
    return;
  }
  const example = JSON.stringify({ type: 'start_agent', data: { query: 'hi' } });
  const l = backend.limits;
  io.out([
    `handshake serve: local backend listening (profile ${backend.profile})`,
    `  http  ${backend.httpUrl}   (GET /health, /ws/health, /ws/config)`,
    `  ws    ${backend.wsUrl}`,
    `  limits: ${l.messages_per_minute} messages/min per user, ${l.max_connections_per_user} connections per user, ${l.max_message_bytes} bytes per message, heartbeat every ${l.heartbeat_interval_ms / 1000}s`,
    `  JWT secret from: ${secretSource}`,
    '',
    'Mint a token:   npx handshake token --user alice',
    `Send a message: npx handshake send --url ${backend.wsUrl} --user alice --message '${example}' --expect agent_started,agent_completed`,
    'Ctrl-C stops the backend.',
  ].join('\n'));
}
