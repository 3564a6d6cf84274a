// The `handshake` command: dispatches to one module per verb. The extension and the daemon call the same
// engine modules the verbs call.
import { ConfigError } from '../config/config';
import { sendVerb } from './send';
import { serveVerb } from './serve';
import { tokenVerb } from './token';
import { upVerb } from './up';
import { stopVerb } from './stop';
import { restartVerb } from './restart';
import { logsVerb } from './logs';
import { statusVerb } from './status';
import { whyVerb } from './why';
import { lintVerb } from './lint';
import { consoleOutput, EXIT_USAGE, parseVerbArgs, UsageError, type Output, type Verb } from './verb';

const verbs: Verb[] = [serveVerb, tokenVerb, sendVerb, upVerb, stopVerb, restartVerb, logsVerb, statusVerb, whyVerb, lintVerb];

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
  const verb = verbs.find((v) => v.name === name);
  if (!verb) {
    io.err(`handshake: unknown verb ${JSON.stringify(name)}\n\n${mainHelp()}`);
    return EXIT_USAGE;
  }
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
    if (e instanceof ConfigError) {
      io.err(`handshake ${verb.name}: config error: ${e.message}`);
      return EXIT_USAGE;
    }
    io.err(`handshake ${verb.name}: ${(e as Error).message}`);
    return EXIT_USAGE;
  }
}
