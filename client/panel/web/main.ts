// The message panel's page: columns of users side by side against one target, a shared filter, the
// two-user isolation check, and the inspector's view of a selected connection. It talks only to the
// extension host (postMessage); the host checks every message it posts (client/panel/page-protocol.ts).
// State survives hide and show (the webview is retained) and window reloads (getState/setState).
import type { PanelLibrary, SavedMessage } from '../../../$shared/protocol';
import { checkIsolation } from '../model/checks';
import { rowOfEvent, rowOfFrame, rowOfSent, type TimelineFilter } from '../model/timeline';
import type { HostMessage, PageMessage } from '../page-protocol';
import { ColumnView, type ColumnState } from './column';
import { h } from './dom';
import { TimelineView } from './timeline-view';

interface VsCodeApi { postMessage(m: PageMessage): void; getState(): unknown; setState(s: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;

interface PageState { columns: ColumnState[]; filter: TimelineFilter; url: string; isolationSince?: number }

const vscode = acquireVsCodeApi();
let seq = 0;
let library: PanelLibrary | undefined;
const saved = vscode.getState() as PageState | undefined;
const state: PageState = saved ?? { columns: [], filter: { text: '', hidePingPong: true }, url: '' };
const columns: ColumnView[] = [];

let persistTimer: number | undefined;
const persist = () => {
  clearTimeout(persistTimer);
  persistTimer = window.setTimeout(() => vscode.setState(state), 300);
};
const post = (m: PageMessage) => vscode.postMessage(m);

const host = {
  post, changed: persist, filter: () => state.filter,
  messages: (): SavedMessage[] => [...(library?.templates ?? []), ...(library?.saved ?? [])],
  remove(column: ColumnView) {
    if (column.state.sessionId) post({ kind: 'disconnect', sessionId: column.state.sessionId });
    columns.splice(columns.indexOf(column), 1);
    state.columns = columns.map((c) => c.state);
    column.el.remove();
    persist();
  },
};

const targetSelect = h('select', { role: 'target', onchange: () => setUrl(targetSelect.value) });
const customUrl = h('input', { role: 'url', placeholder: 'ws://127.0.0.1:PORT/ws', size: 34, onchange: () => setUrl(customUrl.value) });
const filterInput = h('input', { role: 'filter', placeholder: 'filter events', oninput: () => { state.filter.text = filterInput.value; refilter(); } });
const hidePing = h('input', { type: 'checkbox', role: 'hide-ping', onchange: () => { state.filter.hidePingPong = hidePing.checked; refilter(); } });
const isolation = h('div', { class: 'isolation', role: 'isolation' });
const libraryNote = h('div', { class: 'note', role: 'library-note' });
const board = h('div', { class: 'board' });
const inspector = h('section', { class: 'inspector', role: 'inspector', hidden: true });
const inspectorRows = new TimelineView(() => state.filter, () => undefined);

function setUrl(url: string): void {
  state.url = url;
  customUrl.value = url;
  for (const c of columns) c.setUrl(url);
  persist();
}

function refilter(): void {
  for (const c of columns) c.refilter();
  inspectorRows.refresh();
  persist();
}

function addColumn(init?: ColumnState): void {
  const n = columns.length;
  const s: ColumnState = init ?? { id: `col${Date.now().toString(36)}${n}`, user: ['alice', 'bob', 'carol', 'dave'][n] ?? `user${n + 1}`, claimsText: '', ttl: '15m',
    url: state.url, auth: 'header', messageText: '{\n  "type": "start_agent",\n  "data": { "query": "hello" }\n}', expectText: '', status: 'idle', rows: [] };
  const view = new ColumnView(s, host);
  columns.push(view);
  state.columns = columns.map((c) => c.state);
  board.append(view.el);
  persist();
}

/** A starts a run; B must receive none of it. Needs two connected users. */
function runIsolation(): void {
  const [a, b] = columns.filter((c) => c.state.status === 'open');
  if (!a || !b) return void (isolation.textContent = 'Connect two users first.');
  state.isolationSince = Date.now();
  const start = library?.templates.find((t) => t.name === 'start_agent')?.message ?? { type: 'start_agent', data: { query: 'isolation check' } };
  a.sendMessage(start);
  updateIsolation();
}

function updateIsolation(): void {
  const [a, b] = columns.filter((c) => c.state.rows.length > 0 || c.state.status === 'open');
  if (state.isolationSince === undefined || !a || !b) return;
  const verdict = checkIsolation(a.state, b.state, state.isolationSince);
  isolation.dataset.verdict = verdict.status;
  isolation.textContent = `${verdict.status === 'passed' ? '✓' : verdict.status === 'failed' ? '✗' : '…'} isolation: ${verdict.reason}`;
}

function column(pred: (c: ColumnView) => boolean): ColumnView | undefined {
  return columns.find(pred);
}

window.addEventListener('message', (e: MessageEvent<HostMessage>) => receive(e.data));

function receive(m: HostMessage): void {
  switch (m?.kind) {
    case 'batch':
      for (const one of m.messages) receive(one);
      return;
    case 'library': {
      library = m.library;
      targetSelect.replaceChildren(...m.library.targets.map((t) => h('option', { value: t.url }, `${t.name} (${t.url})`)));
      if (!state.url) setUrl(m.library.targets[0]?.url ?? '');
      targetSelect.value = state.url;
      libraryNote.textContent = m.library.savedError ?? `${m.library.saved.length} saved message(s) in ${m.library.savedFile.split(/[\\/]/).pop()}`;
      if (columns.length) return columns.forEach((c) => c.listMessages());
      board.replaceChildren();
      const restored = state.columns.splice(0);
      columns.length = 0;
      // After a window reload the daemon's sessions are gone: say so instead of showing them open.
      for (const c of restored) addColumn({ ...c, ...(c.status === 'open' ? { status: 'closed', note: 'the window reloaded; connect again', sessionId: undefined } : {}) });
      if (columns.length === 0) addColumn();
      document.getElementById('app')?.removeAttribute('aria-busy');
      // When the page became usable (the "open to interactive" benchmark reads it).
      document.body.dataset.readyAt = String(Date.now());
      return;
    }
    case 'connected': return column((c) => c.state.id === m.column)?.connected(m.result);
    case 'sent': {
      const c = column((x) => x.state.id === m.column);
      if (!c) return;
      if ('error' in m.result) return c.closed(m.result.error);
      return c.sent(rowOfSent(++seq, Date.parse(m.result.at), c.lastSent));
    }
    case 'event':
      column((c) => c.state.sessionId === m.sessionId)?.addRow(rowOfEvent(++seq, m.at, m.event));
      return updateIsolation();
    case 'closed':
      return column((c) => c.state.sessionId === m.sessionId)?.closed(`closed ${m.close.code} (${m.close.meaning})${m.close.reason ? `: ${m.close.reason}` : ''}`);
    case 'saved':
      if ('error' in m.result) return void (libraryNote.textContent = m.result.error);
      return post({ kind: 'ready' });   // the library again, with the new message in it
    case 'inspect':
      inspector.hidden = false;
      inspectorRows.clear();
      inspector.replaceChildren(h('h2', {}, `Connection ${m.connection.userId ?? '(no user)'} · ${m.connection.source}${m.connection.via ? `/${m.connection.via}` : ''} → ${m.connection.target}`),
        h('details', { class: 'headers' }, h('summary', {}, `handshake headers (redacted) · ${m.connection.frames.length} frames kept`),
          h('pre', {}, JSON.stringify({ request: m.connection.requestHeaders, response: m.connection.responseHeaders }, null, 1))), inspectorRows.el);
      for (const f of m.connection.frames) inspectorRows.add(rowOfFrame(f));
      return;
    case 'frames':
      for (const f of m.frames) inspectorRows.add(rowOfFrame(f));
      return;
  }
}

filterInput.value = state.filter.text;
hidePing.checked = state.filter.hidePingPong;
document.getElementById('app')?.append(
  h('header', { class: 'toolbar' }, h('label', {}, 'Target ', targetSelect), customUrl,
    h('button', { role: 'add-user', class: 'secondary', onclick: () => addColumn() }, 'Add user'),
    h('button', { role: 'isolation-check', class: 'secondary', onclick: runIsolation }, 'Isolation check'),
    filterInput, h('label', {}, hidePing, ' hide ping/pong')),
  libraryNote, isolation, inspector, board);
window.setInterval(() => { for (const c of columns) c.tick(); }, 1000);
// A reload must not lose the last 300 ms of changes to the debounce.
window.addEventListener('pagehide', () => vscode.setState(state));
post({ kind: 'ready' });
