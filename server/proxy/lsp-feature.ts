// Start Recording Proxy… in the editor: a proxy in the daemon, recorded like every other connection (it then
// shows in the Connections view and as a panel target).
import { StartProxyRequest } from '../../$shared/protocol';
import type { DaemonFeature } from '../lsp/feature';
import { ListenError, parseListen } from './listen';

export const proxyFeature: DaemonFeature = {
  async start(connection, context) {
    const daemon = context.daemon;
    if (!daemon) return;
    connection.onRequest(StartProxyRequest.type, async ({ listen, target }) => {
      try {
        if (typeof target !== 'string' || !/^wss?:\/\/[^/\s]/i.test(target) || !URL.canParse(target)) return { error: `the target must be a ws:// or wss:// URL (got ${JSON.stringify(target)})` };
        const proxy = await daemon.startProxy({ ...parseListen(String(listen), 'the listen address'), target });
        return { listen: proxy.listen, target: proxy.target };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (e instanceof ListenError) return { error: e.message };
        return { error: code === 'EADDRINUSE' ? `${listen} is already in use` : (e as Error).message };
      }
    });
  },
};
