// The inspector as the editor sees it: the Connections view lists and filters what the recorder holds,
// hears of every open/close/refusal at once and of changed counts a few times a second, streams the frames
// of the connection the user selected (batched), and exports HAR or JSON Lines.
import {
  ConnectionChangedNotification, ConnectionRequest, ConnectionsRequest, ExportConnectionsRequest, FramesNotification, WatchFramesRequest,
  type ConnectionSummary, type FrameRecord,
} from '../../$shared/protocol';
import type { DaemonFeature } from '../lsp/feature';
import { VERSION } from '../version';
import { exportConnections } from './export';
import { connectionMatches, frameMatches } from './filter';

/** Frames of the watched connection go out at most this often, in one notification. */
const FRAME_BATCH_MS = 30;
/** Connections whose counts changed are re-announced at most this often. */
const COUNTS_EVERY_MS = 250;

export const inspectorFeature: DaemonFeature = {
  async start(connection, context) {
    const daemon = context.daemon;
    if (!daemon) return undefined;
    const recorder = daemon.recorder;
    connection.onRequest(ConnectionsRequest.type, (filter) => ({
      connections: recorder.summaries().filter((c) => connectionMatches(c, filter ?? {})), totals: recorder.totals(),
    }));
    connection.onRequest(ConnectionRequest.type, ({ id, filter }) => {
      const detail = recorder.detail(id);
      return detail ? { ...detail, frames: detail.frames.filter((f) => frameMatches(f, filter ?? {})) } : null;
    });
    connection.onRequest(ExportConnectionsRequest.type, ({ format, connectionId }) => {
      const one = connectionId === undefined ? undefined : recorder.detail(connectionId);
      return { text: exportConnections(format, connectionId === undefined ? recorder.details() : one ? [one] : [], VERSION) };
    });

    let watched: string | null = null;
    let batch: FrameRecord[] = [];
    let batchTimer: NodeJS.Timeout | undefined;
    connection.onRequest(WatchFramesRequest.type, ({ id }) => {
      watched = id;
      batch = [];
    });
    const dirty = new Set<string>();
    const onFrame = (frame: FrameRecord) => {
      dirty.add(frame.connectionId);
      if (frame.connectionId !== watched) return;
      batch.push(frame);
      batchTimer ??= setTimeout(() => {
        batchTimer = undefined;
        if (batch.length) void connection.sendNotification(FramesNotification.type, { connectionId: batch[0]!.connectionId, frames: batch });
        batch = [];
      }, FRAME_BATCH_MS);
    };
    const counts = setInterval(() => {
      for (const id of dirty) {
        const summary = recorder.summary(id);
        if (summary) void connection.sendNotification(ConnectionChangedNotification.type, summary);
      }
      dirty.clear();
    }, COUNTS_EVERY_MS);
    const onConnection = (summary: ConnectionSummary) => void connection.sendNotification(ConnectionChangedNotification.type, summary);
    recorder.on('frame', onFrame);
    recorder.on('connection', onConnection);
    return () => {
      clearInterval(counts);
      clearTimeout(batchTimer);
      recorder.off('frame', onFrame);
      recorder.off('connection', onConnection);
    };
  },
};
