// Between the panel's page and the daemon: each checked page message becomes a daemon request, and the
// daemon's notifications for this page's sessions (and the inspected connection) go back to the page. No
// `vscode` here: the extension passes its LanguageClient, the Chromium test a plain LSP connection.
import {
  ConnectionRequest, FramesNotification, PanelClosedNotification, PanelConnectRequest, PanelDisconnectRequest, PanelEventNotification,
  PanelLibraryRequest, PanelSaveRequest, PanelSendRequest, WatchFramesRequest,
  type ConnectionDetail, type FrameRecord, type PanelClose, type PanelConnectResult, type PanelLibrary,
} from '../../$shared/protocol';
import type { ReceivedEvent } from '../../$shared/wire';
import { parsePageMessage, type HostMessage } from './page-protocol';

/** What both vscode-languageclient's LanguageClient and a ProtocolConnection offer. */
export interface DaemonLink {
  sendRequest(method: string, params?: unknown): Promise<unknown>;
  onNotification(method: string, handler: (params: any) => void): { dispose(): void };   // each handler declares its own params
}

export interface PageSide {
  post(message: HostMessage): void;
  copy(text: string): void | Thenable<void>;
}

export class PanelRelay {
  private readonly sessions = new Set<string>();
  /** Messages for the page, posted together at the end of this turn: a burst of events crosses to the webview once. */
  private queue: HostMessage[] = [];
  private inspected: string | undefined;
  private readonly subscriptions: Array<{ dispose(): void }>;

  constructor(private readonly link: DaemonLink, private readonly page: PageSide) {
    this.subscriptions = [
      link.onNotification(PanelEventNotification.method, (p: { sessionId: string; at: string; event: ReceivedEvent }) => {
        if (this.sessions.has(p.sessionId)) this.post({ kind: 'event', ...p });
      }),
      link.onNotification(PanelClosedNotification.method, ({ sessionId, ...close }: { sessionId: string } & PanelClose) => {
        if (this.sessions.delete(sessionId)) this.post({ kind: 'closed', sessionId, close });
      }),
      link.onNotification(FramesNotification.method, (p: { connectionId: string; frames: FrameRecord[] }) => {
        if (p.connectionId === this.inspected) this.post({ kind: 'frames', ...p });
      }),
    ];
  }

  /** Queues a message for the page; the queue goes out in order, as one batch, once this turn is over. */
  private post(message: HostMessage): void {
    this.queue.push(message);
    if (this.queue.length > 1) return;
    setImmediate(() => {
      const messages = this.queue;
      this.queue = [];
      this.page.post(messages.length === 1 ? messages[0] as HostMessage : { kind: 'batch', messages });
    });
  }

  /** A message from the page: ignored unless it passes parsePageMessage. */
  async handle(raw: unknown): Promise<void> {
    const m = parsePageMessage(raw);
    if (!m) return;
    switch (m.kind) {
      case 'ready':
        return this.post({ kind: 'library', library: await this.request<PanelLibrary>(PanelLibraryRequest.method) });
      case 'connect': {
        const { column, kind: _kind, ...params } = m;
        const result = await this.request<PanelConnectResult>(PanelConnectRequest.method, params)
          .catch((e: Error): PanelConnectResult => ({ ok: false, error: e.message }));
        if (result.ok) this.sessions.add(result.sessionId);
        return this.post({ kind: 'connected', column, result });
      }
      case 'send': {
        const result = await this.request<{ at: string } | { error: string }>(PanelSendRequest.method, { sessionId: m.sessionId, message: m.message })
          .catch((e: Error) => ({ error: e.message }));
        return this.post({ kind: 'sent', column: m.column, result });
      }
      case 'disconnect':
        await this.request(PanelDisconnectRequest.method, { sessionId: m.sessionId });
        return;
      case 'save': {
        const result = await this.request<{ file: string } | { error: string }>(PanelSaveRequest.method, { entry: m.entry })
          .catch((e: Error) => ({ error: e.message }));
        return this.post({ kind: 'saved', result });
      }
      case 'copy':
        await this.page.copy(m.text);
        return;
    }
  }

  /** Shows a recorded connection (the Connections view's selection) and streams its new frames. */
  async inspect(connectionId: string): Promise<void> {
    const detail = await this.request<ConnectionDetail | null>(ConnectionRequest.method, { id: connectionId });
    if (!detail) return;
    this.inspected = connectionId;
    this.post({ kind: 'inspect', connection: detail });
    await this.request(WatchFramesRequest.method, { id: connectionId });
  }

  /** The page is gone: its connections close and the frame stream stops. */
  async dispose(): Promise<void> {
    for (const s of this.subscriptions) s.dispose();
    const closing = [...this.sessions].map((sessionId) => this.request(PanelDisconnectRequest.method, { sessionId }).catch(() => undefined));
    if (this.inspected) closing.push(this.request(WatchFramesRequest.method, { id: null }).catch(() => undefined));
    this.sessions.clear();
    await Promise.all(closing);
  }

  private request<R>(method: string, params?: unknown): Promise<R> {
    return this.link.sendRequest(method, params) as Promise<R>;
  }
}
