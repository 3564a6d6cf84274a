// `handshake inspect`: what the daemon's recorder holds (connections, and frames of the ones asked for),
// or with --follow every connection and frame as it happens, until Ctrl-C.
import type { ConnectionDetail, ConnectionSummary, FrameRecord, RecorderTotals } from '../../$shared/protocol';
import { follow, getJson } from '../daemon/control-client';
import { requireDaemon } from '../daemon/discovery';
import { FilterError, parseFilter } from '../inspector/filter';
import { EXIT_OK, UsageError, type Verb } from './verb';

export const inspectVerb: Verb = {
  name: 'inspect',
  usage: 'handshake inspect [--follow] [--connection ID] [--filter "type:agent_started from:server user:U opcode:text TEXT"]… [--hide-ping-pong] [--json] [--daemon PID]',
  options: {
    follow: { type: 'boolean' }, connection: { type: 'string' }, filter: { type: 'string', multiple: true },
    'hide-ping-pong': { type: 'boolean' }, json: { type: 'boolean' }, daemon: { type: 'string' },
  },
  async run(values, _positionals, io) {
    const query = controlQuery(values);
    const daemon = requireDaemon(values.daemon as string | undefined);
    const json = values.json === true;
    if (!json) io.err(`handshake inspect: daemon ${daemon.pid} (${daemon.kind}, ${daemon.workspace})`);
    if (values.follow) {
      const stream = follow(daemon, query, (m) => {
        if (json) io.out(JSON.stringify(m));
        else if (m.kind === 'connection') io.out(connectionLine(m.connection as ConnectionSummary));
        else if (m.kind === 'frame') io.out(frameLine(m.frame as FrameRecord));
        else if (m.kind === 'skipped') io.err(`(${String(m.frames)} frames skipped: this terminal reads slower than they arrive)`);
      });
      process.once('SIGINT', () => stream.stop());
      const end = await stream.done;
      if (end.code !== 1000) io.err(`handshake inspect: the daemon's stream ended: ${end.code} ${end.reason}`);
      return EXIT_OK;
    }
    const connectionId = values.connection as string | undefined;
    if (connectionId) {
      const detail = await getJson<ConnectionDetail>(daemon, `/v1/connections/${encodeURIComponent(connectionId)}${query}`);
      if (json) io.out(JSON.stringify(detail));
      else io.out([connectionLine(detail), ...headerLines('request', detail.requestHeaders), ...headerLines('response', detail.responseHeaders),
        ...(detail.body ? [`  body: ${detail.body}`] : []), ...detail.frames.map(frameLine)].join('\n'));
      return EXIT_OK;
    }
    const { connections, totals } = await getJson<{ connections: ConnectionSummary[]; totals: RecorderTotals }>(daemon, `/v1/connections${query}`);
    if (json) io.out(JSON.stringify({ connections, totals }));
    else {
      io.out(connections.length ? connections.map(connectionLine).join('\n') : '(no connections recorded yet)');
      io.out(`${totals.connections} connections, ${totals.frames} frames kept (${totals.droppedConnections} connections and ${totals.droppedFrames} frames dropped by the limits); --connection ID shows one with its frames`);
    }
    return EXIT_OK;
  },
};

/** The control API query for --filter terms, --hide-ping-pong and --connection (validated here, for exit 2). */
export function controlQuery(values: Record<string, unknown>): string {
  const terms = (values.filter as string[] | undefined) ?? [];
  try {
    parseFilter(terms);
  } catch (e) {
    if (e instanceof FilterError) throw new UsageError(`--filter: ${e.message}`);
    throw e;
  }
  const params = new URLSearchParams();
  for (const term of terms) params.append('filter', term);
  if (typeof values.connection === 'string') params.append('filter', `connection:${values.connection}`);
  if (values['hide-ping-pong']) params.set('hidePingPong', '1');
  const text = params.toString();
  return text ? `?${text}` : '';
}

function connectionLine(c: ConnectionSummary): string {
  const end = c.phase === 'refused' ? `refused HTTP ${c.status} ${c.refusal ?? ''}`
    : c.phase === 'closed' ? `closed ${c.closeCode} (${c.closeMeaning})${c.closeReason ? `: ${c.closeReason}` : ''}${c.closedBy ? ` by the ${c.closedBy}` : ''}` : 'open';
  const duration = c.closedAt ? `${Date.parse(c.closedAt) - Date.parse(c.openedAt)} ms` : '';
  return [c.openedAt.slice(11, 23), c.id, c.source + (c.via ? `(${c.via})` : ''), c.userId ?? '-', c.target, end,
    `frames ${c.framesFromClient}↑ ${c.framesFromServer}↓`, duration, c.droppedFrames ? `${c.droppedFrames} dropped` : ''].filter(Boolean).join('  ');
}

function headerLines(which: string, headers: Record<string, string>): string[] {
  return Object.entries(headers).map(([name, value]) => `  ${which} ${name}: ${value}`);
}

function frameLine(f: FrameRecord): string {
  const body = f.text ?? (f.base64 ? `<binary ${f.base64.slice(0, 40)}…>` : '');
  const shown = body.length > 160 ? `${body.slice(0, 159)}…` : body;
  return `  ${f.at.slice(11, 23)} ${f.connectionId.slice(0, 13)} ${f.from === 'client' ? '→' : '←'} ${f.opcode.padEnd(6)} ${String(f.size).padStart(6)} B  ${(f.jsonType ?? '').padEnd(22)} ${shown}${f.truncated ? ' (cut)' : ''}`;
}
