// The `handshake` command: dispatches to one module per verb. The extension and the daemon call the same
// engine modules the verbs call.
import { ConfigError } from '../config/config';
import { NoDaemonError } from '../daemon/discovery';
import { consoleOutput, EXIT_USAGE, parseVerbArgs, UsageError, type Output, type Verb } from './verb';

// Each verb's module (and the engine it pulls in: dockerode, tree-sitter, ws, ajv schemas) loads only when
// that verb runs: start-up is paid on every invocation, and `lint` in CI or `token` in a shell loop should
// not pay for Docker.
const verbs: Array<{ name: string; load: () => Promise<Verb> }> = [
  { name: 'serve', load: async () => (await import('./serve')).serveVerb },
  { name: 'token', load: async () => (await import('./token')).tokenVerb },
  { name: 'send', load: async () => (await import('./send')).sendVerb },
  { name: 'up', load: async () => (await import('./up')).upVerb },
  { name: 'stop', load: async () => (await import('./stop')).stopVerb },
  { name: 'restart', load: async () => (await import('./restart')).restartVerb },
  { name: 'logs', load: async () => (await import('./logs')).logsVerb },
  { name: 'status', load: async () => (await import('./status')).statusVerb },
  { name: 'why', load: async () => (await import('./why')).whyVerb },
  { name: 'proxy', load: async () => (await import('./proxy')).proxyVerb },
  { name: 'inspect', load: async () => (await import('./inspect')).inspectVerb },
  { name: 'export', load: async () => (await import('./export')).exportVerb },
  { name: 'lint', load: async () => (await import('./lint')).lintVerb },
  { name: 'check', load: async () => (await import('./check')).checkVerb },
];

async function mainHelp(): Promise<string> {
  const all = await Promise.all(verbs.map((v) => v.load()));
  const width = Math.max(...all.map((v) => v.name.length));
  return ['usage: handshake <verb> [options]   (handshake <verb> --help for its options)', '',
    ...all.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`)].join('\n');
}

export async function runCli(argv: string[], io: Output = consoleOutput()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(await mainHelp());
    return name ? 0 : EXIT_USAGE;
  }
  const entry = verbs.find((v) => v.name === name);
  if (!entry) {
    io.err(`handshake: unknown verb ${JSON.stringify(name)}\n\n${await mainHelp()}`);
    return EXIT_USAGE;
  }
  const verb = await entry.load();
  try {
    const { values, positionals } = parseVerbArgs(verb, rest);
    if (values.help) {
      io.out(`usage: ${verb.usage}\n\n${verb.summary}`);
      return 0;
    }
    return await verb.run(values, positionals, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`handshake ${verb.name}: ${e.message}\nusage: ${verb.usage}`);
      return EXIT_USAGE;
    }
    if (e instanceof NoDaemonError) {
      io.err(`handshake ${verb.name}: ${e.message}`);
      return EXIT_USAGE;
    }
    if (e instanceof ConfigError) {
      io.err(`handshake ${verb.name}: config error: ${e.message}`);
      return EXIT_USAGE;
    }
    io.err(`handshake ${verb.name}: ${(e as Error).message}`);
    return EXIT_USAGE;
  }
}
