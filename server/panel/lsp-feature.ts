// The message panel's daemon side: targets, templates and saved messages for the page, and the sessions it
// connects through (server/panel/sessions.ts). Every parameter comes from the editor, which already
// validated the page's message; the daemon checks again what it acts on (URLs, claims).
import { ResponseError } from 'vscode-languageserver/node';
import {
  PanelClosedNotification, PanelConnectRequest, PanelDisconnectRequest, PanelEventNotification, PanelLibraryRequest, PanelSaveRequest,
  PanelSendRequest, type PanelTarget,
} from '../../$shared/protocol';
import type { Daemon } from '../daemon/daemon';
import type { DaemonFeature } from '../lsp/feature';
import { readSavedMessages, saveMessage } from './saved-messages';
import { PanelSessions } from './sessions';
import { messageTemplates } from './templates';

export const panelFeature: DaemonFeature = {
  async start(connection, context) {
    const daemon = context.daemon;
    if (!daemon) {
      const unavailable = () => { throw new ResponseError(1, `Handshake: ${context.configError ?? 'no workspace'}`); };
      for (const type of [PanelLibraryRequest.type, PanelConnectRequest.type, PanelSendRequest.type, PanelDisconnectRequest.type, PanelSaveRequest.type]) {
        connection.onRequest(type.method, unavailable);
      }
      return undefined;
    }
    const sessions = new PanelSessions(daemon.identity, daemon.events, {
      event: (sessionId, at, event) => void connection.sendNotification(PanelEventNotification.type, { sessionId, at, event }),
      closed: (sessionId, close) => void connection.sendNotification(PanelClosedNotification.type, { sessionId, ...close }),
    });
    connection.onRequest(PanelLibraryRequest.type, () => {
      const saved = readSavedMessages(daemon.workspace);
      return { targets: panelTargets(daemon), templates: messageTemplates(), saved: saved.messages, savedFile: saved.file,
        ...(saved.error ? { savedError: saved.error } : {}) };
    });
    connection.onRequest(PanelSaveRequest.type, ({ entry }) => saveMessage(daemon.workspace, entry));
    connection.onRequest(PanelConnectRequest.type, (params) => sessions.connect(params));
    connection.onRequest(PanelSendRequest.type, ({ sessionId, message }) => sessions.send(sessionId, message));
    connection.onRequest(PanelDisconnectRequest.type, ({ sessionId }) => sessions.disconnect(sessionId));
    return () => sessions.closeAll();
  },
};

/** The local backend as it runs, the config's targets, the stack's WebSocket services as their probes found them,
 *  and the daemon's recording proxies (a client's path is kept: /ws on the proxy reaches /ws upstream). */
export function panelTargets(daemon: Daemon): PanelTarget[] {
  const slot = daemon.backend;
  const targets: PanelTarget[] = slot.ok ? [{ name: 'local', url: slot.backend.wsUrl, auth: 'header', kind: 'local' }] : [];
  for (const [name, t] of Object.entries(daemon.config.targets)) {
    if (name === 'local' && slot.ok) continue;
    targets.push({ name, url: t.url, auth: t.auth, kind: name === 'stack' ? 'stack' : name === 'local' ? 'local' : 'config' });
  }
  for (const service of daemon.stack().state.services) {
    for (const probe of service.probes.filter((p) => p.type === 'websocket')) {
      if (!targets.some((t) => t.url === probe.target)) targets.push({ name: `stack: ${service.name}`, url: probe.target, auth: 'header', kind: 'stack' });
    }
  }
  for (const proxy of daemon.proxies) {
    targets.push({ name: `proxy ${proxy.listen} → ${proxy.target}`, url: new URL('/ws', proxy.url).href, auth: 'header', kind: 'proxy' });
  }
  return targets;
}
