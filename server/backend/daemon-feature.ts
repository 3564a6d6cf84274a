// The local backend as the editor sees it: announced to the client (status bar) whenever it starts or stops,
// started and stopped on request (Start/Stop Local Backend), and the signer of the dev tokens the client asks
// for (with the workspace's identity).
import { decodeJwt } from 'jose';
import { BackendRequest, BackendStartedNotification, TokenRequest, type BackendInfo } from '../../$shared/protocol';
import type { BackendSlot } from '../daemon/daemon';
import type { DaemonFeature } from '../lsp/feature';

const infoOf = (slot: BackendSlot): BackendInfo | { error: string } =>
  slot.ok ? { httpUrl: slot.backend.httpUrl, wsUrl: slot.backend.wsUrl, profile: slot.backend.profile } : { error: slot.error };

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
    connection.onRequest(BackendRequest.type, async ({ action }) => {
      // Stop answers with what was stopped; start with what now listens (or why it cannot).
      const before = daemon.backend;
      if (action === 'stop') {
        if (!before.ok) return { error: 'the local backend is not running' };
        await daemon.stopBackend();
      }
      const now = action === 'start' ? await daemon.startBackend() : daemon.backend;
      void connection.sendNotification(BackendStartedNotification.type, infoOf(now));
      return infoOf(action === 'stop' ? before : now);
    });
    void connection.sendNotification(BackendStartedNotification.type, infoOf(daemon.backend));
  },
};
