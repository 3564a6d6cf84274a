// The few DOM helpers the page needs: an element builder and text formatting. No framework: the page is
// one script under a strict CSP, and the timeline appends rows directly.

type Props = Record<string, string | boolean | number | undefined | ((e: Event) => void)>;

/** h('button', {role: 'send', onclick: fn}, 'Send'): `role` becomes data-role, on* become listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Array<Node | string | undefined>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'role') el.dataset.role = String(value);
    else if (key === 'class') el.className = String(value);
    else if (key in el && typeof value !== 'boolean') (el as unknown as Record<string, unknown>)[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== undefined) el.append(child);
  return el;
}

/** "14:58" until the epoch ms, "expired" after it. */
export function countdown(until: number, now: number = Date.now()): string {
  const s = Math.floor((until - now) / 1000);
  if (s <= 0) return 'expired';
  const pad = (n: number) => String(n).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}` : `${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
}

/** A collapsible JSON tree; children are built when a node is first opened (rows stay cheap at 100 events/s). */
export function jsonTree(value: unknown, key?: string): HTMLElement {
  const label = key === undefined ? '' : `${key}: `;
  if (value === null || typeof value !== 'object') {
    return h('div', { class: `json-leaf json-${value === null ? 'null' : typeof value}` }, label, JSON.stringify(value) ?? String(value));
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  const node = h('details', { class: 'json-node' },
    h('summary', {}, `${label}${Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}`));
  node.addEventListener('toggle', () => {
    if (!node.open || node.childElementCount > 1) return;
    for (const [k, v] of entries) node.append(jsonTree(v, k));
  });
  return node;
}
