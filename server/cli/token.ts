// `handshake token`: a dev JWT signed with the workspace's secret, for curl, wscat or the user's tests.
import { loadConfig } from '../config/config';
import { workspaceIdentity } from '../auth/identity';
import { parseJsonObject, requiredOption, UsageError, type Verb } from './verb';

export const tokenVerb: Verb = {
  name: 'token',
  usage: 'handshake token --user U [--ttl 15m] [--claims JSON] [--json]',
  options: { user: { type: 'string' }, ttl: { type: 'string' }, claims: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const user = requiredOption(values.user, '--user');
    const claims = values.claims === undefined ? {} : parseJsonObject('--claims', values.claims as string);
    const identity = workspaceIdentity(loadConfig(process.cwd()));
    const ttl = (values.ttl as string | undefined) ?? '15m';
    if (!/^\d+\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|day|days)$/i.test(ttl)) throw new UsageError(`--ttl ${JSON.stringify(ttl)} is not a time span (try 15m, 2h, 30s)`);
    const token = await identity.mint(user, { ttl, claims });
    // The token goes to stdout alone (for $(handshake token ...)); nothing else prints it.
    io.out(values.json ? JSON.stringify({ token, user, ttl }) : token);
    return 0;
  },
};
