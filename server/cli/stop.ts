// `handshake stop [SERVICE…]`: stops the stack's services (all when none are named); containers and
// volumes stay, so the next `up` starts them again with their data.
import { stop } from '../stack/orchestrator';
import { CONTEXT_OPTION } from './status';
import { withStack } from './up';
import { EXIT_OK, type Verb } from './verb';

export const stopVerb: Verb = {
  name: 'stop',
  usage: 'handshake stop [SERVICE…] [--json] [--context NAME]',
  options: { json: { type: 'boolean' }, ...CONTEXT_OPTION },
  allowPositionals: true,
  async run(values, positionals, io) {
    return withStack(io, 'stop', values.context, async (project, engine) => {
      await stop(project, positionals, { engine });
      const names = positionals.length ? positionals : Object.keys(project.services);
      io.out(values.json === true ? JSON.stringify({ stopped: names }) : `stopped: ${names.join(', ')}`);
      return EXIT_OK;
    });
  },
};
