// One user's column: who (user id, extra claims, TTL), where and how (target, header or subprotocol), the
// token's claims and a live expiry countdown (never the token: the daemon holds it), the message editor
// with templates and saved messages, the expected-sequence check, and the event timeline.
import type { PanelAuth, PanelConnectResult, SavedMessage } from '../../../$shared/protocol';
import { checkExpectation, cliCommand, formatExpect, parseExpect } from '../model/checks';
import { appendRow, type TimelineFilter, type TimelineRow } from '../model/timeline';
import type { PageMessage } from '../page-protocol';
import { countdown, h } from './dom';
import { TimelineView } from './timeline-view';

export interface ColumnState {
  id: string;
  user: string;
  claimsText: string;
  ttl: string;
  url: string;
  auth: PanelAuth;
  messageText: string;
  expectText: string;
  status: 'idle' | 'connecting' | 'open' | 'closed';
  note?: string;
  sessionId?: string;
  claims?: Record<string, unknown>;
  expiresAt?: number;
  sentAt?: number;
  rows: TimelineRow[];
}

export interface ColumnHost {
  post(message: PageMessage): void;
  filter(): TimelineFilter;
  messages(): SavedMessage[];
  changed(): void;
  remove(column: ColumnView): void;
}

export class ColumnView {
  readonly el: HTMLElement;
  private readonly timeline: TimelineView;
  private readonly status = h('div', { class: 'status', role: 'status' });
  private readonly claims = h('pre', { class: 'claims', role: 'claims' });
  private readonly check = h('ol', { class: 'check', role: 'check' });
  private readonly connectButton = h('button', { role: 'connect', onclick: () => this.toggleConnection() });
  private readonly message = h('textarea', { class: 'message', role: 'message', rows: 5, spellcheck: 'false' });
  private readonly expect = h('input', { role: 'expect', placeholder: 'expected events: a,b,c (as handshake send --expect)' });
  private readonly pick: HTMLSelectElement = h('select', { role: 'template', onchange: () => this.useTemplate(this.pick.value) });
  /** What was last sent, for its row once the daemon says when it went out. */
  lastSent: unknown;
  private readonly saveName = h('input', { role: 'save-name', placeholder: 'save as…', size: 14 });

  constructor(readonly state: ColumnState, private readonly host: ColumnHost) {
    this.timeline = new TimelineView(host.filter, () => this.state.sentAt);
    const field = (label: string, input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, key: keyof ColumnState) => {
      input.value = String(this.state[key] ?? '');
      input.addEventListener('change', () => { (this.state as unknown as Record<string, unknown>)[key] = input.value; host.changed(); });
      return h('label', {}, label, input);
    };
    const auth = h('select', { role: 'auth' }, h('option', { value: 'header' }, 'Authorization header'), h('option', { value: 'subprotocol' }, 'Subprotocol (browser style)'));
    const pick = this.pick;
    this.listMessages();
    this.message.value = state.messageText;
    this.message.addEventListener('change', () => { state.messageText = this.message.value; host.changed(); });
    this.expect.value = state.expectText;
    this.expect.addEventListener('change', () => { state.expectText = this.expect.value; this.updateCheck(); host.changed(); });
    this.el = h('section', { class: 'column', role: 'column' },
      h('header', {}, field('User id', h('input', { role: 'user' }), 'user'), field('TTL', h('input', { role: 'ttl', size: 5 }), 'ttl'),
        h('button', { class: 'secondary', title: 'Remove this user', onclick: () => host.remove(this) }, '×')),
      field('Extra claims (JSON)', h('input', { role: 'extra-claims' }), 'claimsText'), field('Auth', auth, 'auth'),
      h('div', { class: 'actions' }, this.connectButton), this.status, this.claims,
      pick, this.message, this.expect,
      h('div', { class: 'actions' }, h('button', { role: 'send', onclick: () => this.send() }, 'Send'),
        this.saveName, h('button', { class: 'secondary', role: 'save', onclick: () => this.save() }, 'Save'),
        h('button', { class: 'secondary', role: 'copy-cli', onclick: () => this.copyCli() }, 'Copy as CLI')),
      this.check, this.timeline.el);
    for (const row of state.rows) this.timeline.add(row);
    this.render();
  }

  /** Templates and saved messages changed (a save): the picker lists them again. */
  listMessages(): void {
    this.pick.replaceChildren(h('option', { value: '' }, 'Templates and saved messages…'), ...this.host.messages().map((m) => h('option', { value: m.name }, m.name)));
  }

  setUrl(url: string): void {
    this.state.url = url;
  }

  connected(result: PanelConnectResult): void {
    if (result.ok) {
      Object.assign(this.state, { status: 'open', sessionId: result.sessionId, claims: result.claims, expiresAt: Date.parse(result.expiresAt), note: `${result.url}${result.protocol ? ` · protocol ${result.protocol}` : ''}` });
    } else {
      Object.assign(this.state, { status: 'idle', note: result.error, sessionId: undefined });
    }
    this.render();
  }

  closed(text: string): void {
    Object.assign(this.state, { status: 'closed', note: text, sessionId: undefined });
    this.render();
  }

  /** The daemon sent the message at `at` (its clock, like the events'): timings and the check start there. */
  sent(row: TimelineRow): void {
    this.state.sentAt = row.at;
    this.addRow(row);
    this.timeline.refresh();
  }

  addRow(row: TimelineRow): void {
    appendRow(this.state.rows, row);
    this.timeline.add(row);
    this.updateCheck();
  }

  refilter(): void {
    this.timeline.refresh();
  }

  /** Once a second: the token's expiry countdown. */
  tick(): void {
    if (this.state.status !== 'open' || !this.state.expiresAt) return;
    const left = countdown(this.state.expiresAt);
    this.status.textContent = `connected as ${this.state.user} · token expires in ${left} · ${this.state.note ?? ''}`;
  }

  sendMessage(message: unknown): void {
    this.lastSent = message;
    if (this.state.sessionId) this.host.post({ kind: 'send', column: this.state.id, sessionId: this.state.sessionId, message });
  }

  private render(): void {
    const s = this.state;
    this.el.dataset.status = s.status;
    this.connectButton.textContent = s.status === 'open' ? 'Disconnect' : s.status === 'connecting' ? 'Connecting…' : 'Connect';
    this.status.textContent = s.status === 'open' ? '' : `${s.status}${s.note ? `: ${s.note}` : ''}`;
    // The token's claims, compact: who, when issued, when it expires, and any extra claims. Never the token.
    this.claims.textContent = s.claims ? JSON.stringify(s.claims) : '';
    this.tick();
    this.updateCheck();
  }

  private toggleConnection(): void {
    const s = this.state;
    if (s.status === 'open' && s.sessionId) return this.host.post({ kind: 'disconnect', sessionId: s.sessionId });
    let claims: unknown = {};
    try {
      claims = s.claimsText.trim() ? JSON.parse(s.claimsText) : {};
    } catch (e) {
      return this.closed(`extra claims are not JSON: ${(e as Error).message}`);
    }
    s.status = 'connecting';
    s.note = undefined;
    this.render();
    this.host.post({ kind: 'connect', column: s.id, user: s.user, claims: claims as Record<string, unknown>, ttl: s.ttl, url: s.url, auth: s.auth });
  }

  private parsedMessage(): unknown {
    const text = this.message.value;
    try {
      return JSON.parse(text);
    } catch {
      return text;   // sent as it is: the server answers a non-JSON frame with validation_error
    }
  }

  private send(): void {
    this.state.messageText = this.message.value;
    this.sendMessage(this.parsedMessage());
  }

  private useTemplate(name: string): void {
    const m = this.host.messages().find((t) => t.name === name);
    if (!m) return;
    this.message.value = this.state.messageText = JSON.stringify(m.message, null, 2);
    this.expect.value = this.state.expectText = formatExpect(m.expect ?? []);
    this.updateCheck();
    this.host.changed();
  }

  private save(): void {
    const message = this.parsedMessage();
    const name = this.saveName.value.trim() || `${String((message as { type?: unknown }).type ?? 'message')} ${new Date().toISOString().slice(0, 19)}`;
    if (typeof message !== 'object' || message === null) return this.closed('only a JSON object can be saved');
    const { expected } = parseExpect(this.expect.value);
    this.host.post({ kind: 'save', entry: { name, message: message as Record<string, unknown>, ...(expected.length ? { expect: expected } : {}), auth: this.state.auth } });
  }

  private copyCli(): void {
    this.host.post({ kind: 'copy', text: cliCommand(this.state.url, this.state.user, this.state.auth, this.parsedMessage(), parseExpect(this.expect.value).expected) });
  }

  private updateCheck(): void {
    const { expected, error } = parseExpect(this.state.expectText);
    if (error) return void this.check.replaceChildren(h('li', { class: 'failed' }, `expected events: ${error}`));
    if (this.state.sentAt === undefined || expected.length === 0) return void this.check.replaceChildren();
    const result = checkExpectation(expected, this.state.rows, this.state.sentAt, this.state.status === 'closed');
    this.check.dataset.verdict = result.verdict;
    this.check.replaceChildren(...result.steps.map((step) => h('li', { class: step.status },
      `${step.status === 'passed' ? '✓' : step.status === 'failed' ? '✗' : '…'} ${step.type}${step.afterMs === undefined ? '' : ` +${step.afterMs} ms`}`)),
    h('li', { class: `verdict ${result.verdict}` }, result.reason));
  }
}
