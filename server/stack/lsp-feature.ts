// The stack monitor inside the daemon: every change of the stack state goes to the extension as a
// handshake/stackState notification (the Stack view redraws from it, no polling), and the client can ask
// for the current state at any time (after a reload, or when the view first opens).
import type { StackState } from '../../$shared/protocol';
import { StackStateNotification, StackStateRequest } from '../../$shared/protocol';
import type { DaemonFeature } from '../lsp/feature';
import { describeEngine, selectEngine } from './engine/select';
import { computeStackState } from './readiness/compute';

export const stackFeature: DaemonFeature = {
  async start(connection, context) {
    if (!context.daemon) {
      // A malformed config file: say so in the view instead of guessing a stack from defaults.
      const state: StackState = computeStackState({ engine: { status: 'unreachable', socket: describeEngine(selectEngine({ context: context.dockerContext })), error: 'not checked' },
        composeError: `config error: ${context.configError ?? 'unknown'}`, containers: {}, probes: {} });
      connection.onRequest(StackStateRequest.type, () => state);
      void connection.sendNotification(StackStateNotification.type, state);
      return undefined;
    }
    // The engine as the window chose it (its Docker context setting), else as the Docker CLI would: the daemon's.
    const monitor = context.daemon.stack();
    connection.onRequest(StackStateRequest.type, () => monitor.state);
    monitor.on('change', (state) => void connection.sendNotification(StackStateNotification.type, state));
    return undefined;
  },
};
