// A timeline's rows in the DOM: appended one by one as events come (never a full re-render), hidden by the
// filter, each a <details> whose JSON tree is built when opened. Each row records when it was drawn
// (data-drawn-at), which the latency benchmark reads.
import { rowVisible, timing, type TimelineFilter, type TimelineRow } from '../model/timeline';
import { h, jsonTree } from './dom';

export class TimelineView {
  readonly el = h('div', { class: 'timeline', role: 'timeline' });
  private readonly rows = new Map<HTMLElement, TimelineRow>();
  private scrollPending = false;

  constructor(private readonly filter: () => TimelineFilter, private readonly since: () => number | undefined) {}

  add(row: TimelineRow): void {
    const item = h('details', { class: `row from-${row.from}${/_error$|^unparsed/.test(row.type) ? ' error' : ''}` },
      h('summary', {},
        h('span', { class: 'time' }, timing(row, this.since())),
        h('span', { class: 'dir' }, row.from === 'client' ? '↑' : '↓'),
        h('span', { class: 'type', role: 'event-type' }, row.type),
        h('span', { class: 'summary' }, row.summary)));
    item.dataset.drawnAt = String(Date.now());
    item.dataset.at = String(row.at);
    item.addEventListener('toggle', () => {
      if (item.open && item.childElementCount === 1) item.append(jsonTree(row.value));
    }, { once: false });
    item.hidden = !rowVisible(row, this.filter());
    this.rows.set(item, row);
    this.el.append(item);
    // The oldest rows go with the model's cap, so a long session keeps the DOM small too.
    while (this.rows.size > 2000) {
      const first = this.el.firstElementChild as HTMLElement;
      this.rows.delete(first);
      first.remove();
    }
    this.followEnd();
  }

  /** Keeps the newest row in sight when the user is at the end; once per frame, not a layout per row. */
  private followEnd(): void {
    if (this.scrollPending) return;
    this.scrollPending = true;
    requestAnimationFrame(() => {
      this.scrollPending = false;
      if (this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight < 200) this.el.scrollTop = this.el.scrollHeight;
    });
  }

  /** The filter or the reference time changed: re-judge every row's visibility and timing. */
  refresh(): void {
    const filter = this.filter();
    for (const [item, row] of this.rows) {
      item.hidden = !rowVisible(row, filter);
      (item.querySelector('.time') as HTMLElement).textContent = timing(row, this.since());
    }
  }

  clear(): void {
    this.rows.clear();
    this.el.replaceChildren();
  }
}
