// Exports of what the recorder kept, both redacted (the recorder only ever holds redacted data):
// JSON Lines (one connection line, then its frame lines; schemas/inspector-record.schema.json) and HAR 1.2
// as Chrome writes WebSocket entries (`_resourceType: "websocket"`, `_webSocketMessages`), plus
// `_webSocketClose` {code, reason, meaning, closedBy}: Handshake's documented extension field.
import type { ConnectionDetail, FrameRecord } from '../../$shared/protocol';

export type ExportFormat = 'har' | 'jsonl';

export function exportConnections(format: ExportFormat, connections: ConnectionDetail[], version: string): string {
  return format === 'har' ? JSON.stringify(toHar(connections, version), null, 2) : toJsonLines(connections);
}

function toJsonLines(connections: ConnectionDetail[]): string {
  const lines: string[] = [];
  for (const { frames, ...connection } of connections) {
    lines.push(JSON.stringify({ record: 'connection', ...connection }));
    for (const frame of frames) lines.push(JSON.stringify({ record: 'frame', ...frame }));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

const headerList = (headers: Record<string, string>) => Object.entries(headers).map(([name, value]) => ({ name, value }));

function toHar(connections: ConnectionDetail[], version: string) {
  return {
    log: {
      version: '1.2',
      creator: { name: 'handshake', version },
      pages: [],
      entries: connections.map((c) => {
        const started = Date.parse(c.openedAt);
        const upgraded = c.status === 101;
        return {
          startedDateTime: c.openedAt,
          time: Math.max(0, Date.parse(c.closedAt ?? new Date().toISOString()) - started),
          request: { method: 'GET', url: c.target, httpVersion: 'HTTP/1.1', cookies: [], headers: headerList(c.requestHeaders),
            queryString: queryOf(c.target), headersSize: -1, bodySize: 0 },
          response: { status: c.status, statusText: upgraded ? 'Switching Protocols' : (c.refusal ?? ''), httpVersion: 'HTTP/1.1', cookies: [],
            headers: headerList(c.responseHeaders),
            content: { size: c.body?.length ?? 0, mimeType: c.body ? 'application/json' : 'x-unknown', ...(c.body ? { text: c.body } : {}) },
            redirectURL: '', headersSize: -1, bodySize: c.body?.length ?? 0 },
          cache: {},
          timings: { send: 0, wait: 0, receive: 0 },
          serverIPAddress: '',
          _resourceType: 'websocket',
          _handshake: { id: c.id, source: c.source, ...(c.via ? { via: c.via } : {}), ...(c.userId ? { userId: c.userId } : {}), droppedFrames: c.droppedFrames },
          // Chrome lists data frames only: opcode 1 (text) and 2 (binary, base64).
          _webSocketMessages: c.frames.filter((f) => f.opcode === 'text' || f.opcode === 'binary').map(harMessage),
          ...(c.closeCode !== undefined ? { _webSocketClose: { code: c.closeCode, reason: c.closeReason ?? '', meaning: c.closeMeaning ?? '',
            ...(c.closedBy ? { closedBy: c.closedBy } : {}) } } : {}),
        };
      }),
    },
  };
}

function harMessage(f: FrameRecord) {
  return { type: f.from === 'client' ? 'send' : 'receive', time: Date.parse(f.at) / 1000, opcode: f.opcode === 'text' ? 1 : 2,
    data: f.opcode === 'text' ? f.text ?? '' : f.base64 ?? '' };
}

function queryOf(url: string): Array<{ name: string; value: string }> {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}
