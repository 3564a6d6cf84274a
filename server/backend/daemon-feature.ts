// The local backend inside the daemon: started with the workspace's config when the extension starts the
// daemon, announced to the client (status bar), and the signer of dev tokens the client asks for.
import { decodeJwt } from 'jose';
import { BackendStartedNotification, TokenRequest } from '../../$shared/protocol';
import { workspaceIdentity } from '../auth/identity';
import type { DaemonFeature } from '../lsp/feature';
import { startBackend } from './backend';

export const backendFeature: DaemonFeature = {
  async start(connection, context) {
    const config = context.config;
    if (!config) {
      void connection.sendNotification(BackendStartedNotification.type, { error: `config error: ${context.configError ?? 'unknown'}` });
      return undefined;
    }
    const identity = workspaceIdentity(config);
    connection.onRequest(TokenRequest.type, async ({ user, ttl }) => {
      const token = await identity.mint(user, ttl === undefined ? {} : { ttl });
      return { token, expiresAt: new Date((decodeJwt(token).exp ?? 0) * 1000).toISOString() };
    });
    try {
      const backend = await startBackend({ host: config.backend.host, port: config.backend.port, profile: config.profile, ...identity.verifyOptions });
      void connection.sendNotification(BackendStartedNotification.type, { httpUrl: backend.httpUrl, wsUrl: backend.wsUrl, profile: backend.profile });
      return () => backend.close();
    } catch (e) {
      // Most often `handshake serve` already holds the port: that backend serves just as well.
      const code = (e as NodeJS.ErrnoException).code;
      const error = code === 'EADDRINUSE'
        ? `${config.backend.host}:${config.backend.port} is in use (is \`handshake serve\` running?)` : (e as Error).message;
      void connection.sendNotification(BackendStartedNotification.type, { error });
      return undefined;
    }
  },
};
