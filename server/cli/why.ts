// `handshake why SERVICE`: why a service is not ready, in words: the chain of dependencies it waits on,
// each with its depends_on condition, the root cause with its first error line, and the last log lines.
import { explainService } from '../stack/readiness/explain';
import { CONTEXT_OPTION, openStack, stackProblem } from './status';
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, type Verb } from './verb';

export const whyVerb: Verb = {
  name: 'why',
  usage: 'handshake why SERVICE [--json] [--context NAME]',
  options: { json: { type: 'boolean' }, ...CONTEXT_OPTION },
  allowPositionals: true,
  async run(values, positionals, io) {
    const [name, ...extra] = positionals;
    if (!name || extra.length) throw new UsageError('name exactly one service');
    const monitor = await openStack(values.context);
    await monitor.stop();
    const state = monitor.state;
    const problem = stackProblem(state);
    if (problem) {
      io.err(`handshake why: ${problem.line}`);
      return problem.code;
    }
    const project = monitor.project;
    const service = state.services.find((s) => s.name === name);
    if (!project || !service) throw new UsageError(`no service named ${name} (services: ${state.services.map((s) => s.name).join(', ')})`);
    if (values.json) io.out(JSON.stringify({ service, explanation: explainService(state, project, name) }));
    else io.out(explainService(state, project, name).join('\n'));
    return service.readiness === 'ready' ? EXIT_OK : EXIT_CHECK_FAILED;
  },
};
