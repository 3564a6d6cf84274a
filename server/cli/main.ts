// The `handshake` command: dispatches to one module per verb. The extension and the daemon call the same
// engine modules the verbs call.
import { consoleOutput, EXIT_USAGE, parseVerbArgs, type Output, type Verb } from './verb';

// Each verb's module (and the engine it pulls in: dockerode, tree-sitter, ws, ajv schemas) loads only when
// that verb runs: start-up is paid on every invocation, and `lint` in CI or `token` in a shell loop should
// not pay for Docker. In dist/cli.js each import('./<verb>') is a separate bundle, dist/verb-<verb>.js
// (scripts/build.mjs), which holds its own copies of the error classes: the catch below tells them by name.
// The summaries live here so that `handshake --help` loads none of them.
const verbs: Array<{ name: string; summary: string; load: () => Promise<Verb> }> = [
  { name: 'serve', summary: 'run the local WebSocket backend (and the daemon standalone) in the foreground until Ctrl-C',
    load: async () => (await import('./serve')).serveVerb },
  { name: 'token', summary: 'print a dev JWT (HS256) for a user, signed with the configured secret',
    load: async () => (await import('./token')).tokenVerb },
  { name: 'send', summary: 'connect as a user, send one message, print the events and check they came in the expected order',
    load: async () => (await import('./send')).sendVerb },
  { name: 'up', summary: 'start the stack (or SERVICEs with their dependencies) in dependency order, stopping at the first failure',
    load: async () => (await import('./up')).upVerb },
  { name: 'stop', summary: 'stop the stack\'s services (all, or the SERVICEs named); containers and volumes are kept',
    load: async () => (await import('./stop')).stopVerb },
  { name: 'restart', summary: 'restart one service and wait until it is ready again',
    load: async () => (await import('./restart')).restartVerb },
  { name: 'logs', summary: 'print a service\'s logs (--follow streams until Ctrl-C)',
    load: async () => (await import('./logs')).logsVerb },
  { name: 'status', summary: 'the stack\'s readiness per service: container, health, probes, and what blocks it',
    load: async () => (await import('./status')).statusVerb },
  { name: 'why', summary: 'explain why a service is not ready: the blocked-by chain and the root cause',
    load: async () => (await import('./why')).whyVerb },
  { name: 'proxy', summary: 'a recording WebSocket proxy: forwards to a ws:// or wss:// target and records every handshake and frame',
    load: async () => (await import('./proxy')).proxyVerb },
  { name: 'inspect', summary: 'the connection inspector: recorded connections and frames (tokens redacted), or live with --follow',
    load: async () => (await import('./inspect')).inspectVerb },
  { name: 'export', summary: 'export recorded connections and frames as HAR or JSON Lines (tokens redacted)',
    load: async () => (await import('./export')).exportVerb },
  { name: 'lint', summary: 'flag imports and uses of deprecated APIs (the old WebSocketNotifier); --fix applies the safe rewrites',
    load: async () => (await import('./lint')).lintVerb },
  { name: 'check', summary: 'run a scenario (many users, expected events, isolation across them) and report in text, JSON or JUnit',
    load: async () => (await import('./check')).checkVerb },
];

function mainHelp(): string {
  const width = Math.max(...verbs.map((v) => v.name.length));
  return ['usage: handshake <verb> [options]   (handshake <verb> --help for its options)', '',
    ...verbs.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`)].join('\n');
}

export async function runCli(argv: string[], io: Output = consoleOutput()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp());
    return name ? 0 : EXIT_USAGE;
  }
  const entry = verbs.find((v) => v.name === name);
  if (!entry) {
    io.err(`handshake: unknown verb ${JSON.stringify(name)}\n\n${mainHelp()}`);
    return EXIT_USAGE;
  }
  const verb = await entry.load();
  try {
    const { values, positionals } = parseVerbArgs(verb, rest);
    if (values.help) {
      io.out(`usage: ${verb.usage}\n\n${entry.summary}`);
      return 0;
    }
    return await verb.run(values, positionals, io);
  } catch (e) {
    const { name: kind, message } = e as Error;
    const detail = kind === 'UsageError' ? `${message}\nusage: ${verb.usage}` : kind === 'ConfigError' ? `config error: ${message}` : message;
    io.err(`handshake ${verb.name}: ${detail}`);
    return EXIT_USAGE;
  }
}
