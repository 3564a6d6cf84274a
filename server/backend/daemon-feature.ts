// The local backend as the editor sees it: announced to the client (status bar) once the daemon started
// it, and the signer of the dev tokens the client asks for (with the workspace's identity).
import { decodeJwt } from 'jose';
import { BackendStartedNotification, TokenRequest } from '../../$shared/protocol';
import type { DaemonFeature } from '../lsp/feature';

export const backendFeature: DaemonFeature = {
  async start(connection, context) {
    const daemon = context.daemon;
    if (!daemon) {
      void connection.sendNotification(BackendStartedNotification.type, { error: `config error: ${context.configError ?? 'unknown'}` });
      return;
    }
    connection.onRequest(TokenRequest.type, async ({ user, ttl }) => {
      const token = await daemon.identity.mint(user, ttl === undefined ? {} : { ttl });
      return { token, expiresAt: new Date((decodeJwt(token).exp ?? 0) * 1000).toISOString() };
    });
    const slot = daemon.backend;
    void connection.sendNotification(BackendStartedNotification.type, slot.ok
      ? { httpUrl: slot.backend.httpUrl, wsUrl: slot.backend.wsUrl, profile: slot.backend.profile } : { error: slot.error });
  },
};
