// `handshake stop [SERVICE…]`: stops the stack's services (all when none are named); containers and
// volumes stay, so the next `up` starts them again with their data.
import { stop } from '../stack/orchestrator';
import { withStack } from './up';
import { EXIT_OK, type Verb } from './verb';

export const stopVerb: Verb = {
  name: 'stop',
  summary: 'stop the stack\'s services (all, or the SERVICEs named); containers and volumes are kept',
  usage: 'handshake stop [SERVICE…] [--json]',
  options: { json: { type: 'boolean' } },
  allowPositionals: true,
  async run(values, positionals, io) {
    return withStack(io, 'stop', async (project) => {
      await stop(project, positionals);
      const names = positionals.length ? positionals : Object.keys(project.services);
      io.out(values.json === true ? JSON.stringify({ stopped: names }) : `stopped: ${names.join(', ')}`);
      return EXIT_OK;
    });
  },
};
