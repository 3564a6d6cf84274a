// `handshake restart SERVICE`: restarts one service and waits until it is healthy (or running, or completed
// for a job) again; exit 1 with its cause when it does not come back.
import { explainFailure, formatProgress, restart } from '../stack/orchestrator';
import { CONTEXT_OPTION } from './status';
import { withStack } from './up';
import { EXIT_CHECK_FAILED, EXIT_OK, parseDuration, UsageError, type Verb } from './verb';

export const restartVerb: Verb = {
  name: 'restart',
  usage: 'handshake restart SERVICE [--timeout 2m] [--json] [--context NAME]',
  options: { timeout: { type: 'string' }, json: { type: 'boolean' }, ...CONTEXT_OPTION },
  allowPositionals: true,
  async run(values, positionals, io) {
    const [service, ...extra] = positionals;
    if (!service || extra.length) throw new UsageError('name exactly one SERVICE to restart');
    const json = values.json === true;
    const timeoutMs = values.timeout === undefined ? undefined : parseDuration(values.timeout as string);
    return withStack(io, 'restart', values.context, async (project, engine) => {
      const result = await restart(project, service, {
        timeoutMs,
        engine,
        onProgress: (e) => io.out(json ? JSON.stringify({ type: 'progress', ...e }) : formatProgress(e, service.length)),
      });
      if (json) io.out(JSON.stringify({ type: 'result', ...result }));
      else if (!result.ok) for (const line of explainFailure(result)) io.err(line);
      return result.ok ? EXIT_OK : EXIT_CHECK_FAILED;
    });
  },
};
