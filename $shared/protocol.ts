// Custom LSP messages between the extension (client/) and the daemon (server/), in one place so both
// sides agree on names and shapes (the $shared pattern of vscode-eslint). Plain types only: the client
// bundle must not pull server code in.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** Where the local backend listens; the daemon tells the client once it is up. */
export interface BackendInfo {
  httpUrl: string;
  wsUrl: string;
  profile: Profile;
}

export type Profile = 'development' | 'staging' | 'production';

export namespace BackendStartedNotification {
  // Sent by the daemon once its local backend listens (or failed to): the status bar shows it.
  export const method = 'handshake/backendStarted' as const;
  export const type = new NotificationType<BackendInfo | { error: string }>(method);
}

export namespace TokenRequest {
  // Sent by the client when the user asks for a dev token; the daemon signs it with the workspace secret.
  export const method = 'handshake/token' as const;
  export const type = new RequestType<{ user: string; ttl?: string }, { token: string; expiresAt: string }, void>(method);
}
