// `handshake export`: the daemon's recorded connections as HAR 1.2 (Chrome's WebSocket entries) or JSON Lines,
// redacted, to a file or stdout.
import fs from 'node:fs';
import { getText } from '../daemon/control-client';
import { requireDaemon } from '../daemon/discovery';
import { controlQuery } from './inspect';
import { EXIT_OK, UsageError, type Verb } from './verb';

export const exportVerb: Verb = {
  name: 'export',
  usage: 'handshake export --format har|jsonl [--out FILE] [--connection ID] [--filter TERMS]… [--hide-ping-pong] [--daemon PID]',
  options: {
    format: { type: 'string' }, out: { type: 'string' }, connection: { type: 'string' }, filter: { type: 'string', multiple: true },
    'hide-ping-pong': { type: 'boolean' }, daemon: { type: 'string' },
  },
  async run(values, _positionals, io) {
    const format = (values.format as string | undefined) ?? 'jsonl';
    if (format !== 'har' && format !== 'jsonl') throw new UsageError(`--format must be har or jsonl (got ${JSON.stringify(format)})`);
    const query = controlQuery(values);
    const daemon = requireDaemon(values.daemon as string | undefined);
    const text = await getText(daemon, `/v1/export${query}${query ? '&' : '?'}format=${format}`);
    const out = values.out as string | undefined;
    if (out === undefined) {
      process.stdout.write(text);
      return EXIT_OK;
    }
    fs.writeFileSync(out, text);
    io.err(`handshake export: ${format.toUpperCase()} of daemon ${daemon.pid}'s recorder written to ${out}`);
    return EXIT_OK;
  },
};
