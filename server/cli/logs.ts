// `handshake logs SERVICE [--follow] [--tail N]`: the service's logs as Docker Compose has them; --follow
// streams until Ctrl-C.
import { logs } from '../stack/orchestrator';
import { CONTEXT_OPTION } from './status';
import { withStack } from './up';
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, type Verb } from './verb';

export const logsVerb: Verb = {
  name: 'logs',
  usage: 'handshake logs SERVICE [--follow] [--tail N] [--context NAME]',
  options: { follow: { type: 'boolean', short: 'f' }, tail: { type: 'string' }, ...CONTEXT_OPTION },
  allowPositionals: true,
  async run(values, positionals, io) {
    const [service, ...extra] = positionals;
    if (!service || extra.length) throw new UsageError('name exactly one SERVICE');
    const tailText = values.tail as string | undefined;
    if (tailText !== undefined && !/^\d+$/.test(tailText)) throw new UsageError(`--tail must be a number of lines (got ${JSON.stringify(tailText)})`);
    return withStack(io, 'logs', values.context, async (project, engine) => {
      const aborter = new AbortController();
      // Ctrl-C ends the follow and the verb exits 0: stopping to read is not a failure.
      const onSignal = () => aborter.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const run = await logs(project, service, { follow: values.follow === true, tail: tailText === undefined ? undefined : Number(tailText), signal: aborter.signal, engine });
        // Compose's output goes through untouched, line-buffered by the child: stdout to stdout, stderr to stderr.
        run.stdout.pipe(process.stdout);
        run.stderr.pipe(process.stderr);
        return (await run.done) === 0 ? EXIT_OK : EXIT_CHECK_FAILED;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
  },
};
