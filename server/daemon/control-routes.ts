// The control API's HTTP routes: the daemon's description, the recorder's connections (filtered), one
// connection with its frames, exports, and the stack state.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConnectionFilter } from '../../$shared/protocol';
import { exportConnections } from '../inspector/export';
import { connectionMatches, FilterError, filtersFrames, frameMatches, parseFilter } from '../inspector/filter';
import { VERSION } from '../version';
import { json, type ControlTarget } from './control-api';

export function controlRoutes(target: ControlTarget): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://control');
    if (req.method !== 'GET') return json(res, 405, { error: 'method_not_allowed' });
    let filter: ConnectionFilter;
    try {
      filter = filterOf(url);
    } catch (e) {
      if (e instanceof FilterError) return json(res, 400, { error: 'bad_filter', message: e.message });
      throw e;
    }
    const path = url.pathname;
    if (path === '/v1/info') return json(res, 200, target.info());
    if (path === '/v1/connections') return json(res, 200, { connections: selected(target, filter).map(({ frames: _f, ...c }) => c), totals: target.recorder.totals() });
    const one = /^\/v1\/connections\/([\w-]+)$/.exec(path);
    if (one) {
      const detail = target.recorder.detail(one[1]!);
      return detail ? json(res, 200, { ...detail, frames: detail.frames.filter((f) => frameMatches(f, filter)) }) : json(res, 404, { error: 'no_such_connection' });
    }
    if (path === '/v1/export') {
      const format = url.searchParams.get('format') ?? 'jsonl';
      if (format !== 'har' && format !== 'jsonl') return json(res, 400, { error: 'bad_format', message: 'format must be har or jsonl' });
      const text = exportConnections(format, selected(target, filter), VERSION);
      res.writeHead(200, { 'Content-Type': format === 'har' ? 'application/json' : 'application/x-ndjson', 'Cache-Control': 'no-store' });
      return void res.end(text);
    }
    if (path === '/v1/stack') return json(res, 200, await target.settledStack());
    return json(res, 404, { error: 'not_found' });
  };
}

/** The query's filter: `filter=` terms (as `inspect --filter` takes them), `hidePingPong=1`. */
export function filterOf(url: URL): ConnectionFilter {
  return parseFilter(url.searchParams.getAll('filter'), url.searchParams.get('hidePingPong') === '1');
}

/** Connections (oldest first) with their frames, as the filter selects them. */
function selected(target: ControlTarget, filter: ConnectionFilter) {
  return target.recorder.details()
    .filter((c) => connectionMatches(c, filter))
    .map((c) => ({ ...c, frames: c.frames.filter((f) => frameMatches(f, filter)) }))
    .filter((c) => !filtersFrames(filter) || c.frames.length > 0);
}
