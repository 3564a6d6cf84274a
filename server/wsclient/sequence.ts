// The one expectation format (schemas/expectation.schema.json) that `send --expect`, the message panel and
// scenario runs (`handshake check`) share, and the matcher that checks it. An expectation is an event type,
// optionally with field assertions; the expected list must be a subsequence of what was received: other
// events (an agent that thinks twice, heartbeats, other runs) may come in between without failing it.
// Pure and free of Node APIs, so the panel's bundle can use it too.

/** Equality for a scalar; otherwise deep equality, a regular expression on the text, or presence. */
export type FieldAssertion = string | number | boolean | null | { equals: unknown } | { pattern: string } | { exists: boolean };

export interface EventExpectation {
  type: string;
  /** Path (`run_id`, `data.result.count`, `$.data.items[0].title`) -> what must hold there. */
  fields?: Record<string, FieldAssertion>;
}

/** A bare string is shorthand for `{type}`. */
export type Expectation = string | EventExpectation;

/** A field value that stands for the id of the run the exchange follows (bound when its first event arrives). */
export const RUN_ID_VARIABLE = '${run_id}';

/** Values for `${name}` in string assertions, bound when matching: `run_id`, and whatever the caller adds
 *  (a scenario binds `user`, `n` and `user_id`), so one expectation serves every user unchanged. */
export type Bindings = Readonly<Record<string, string | undefined>>;

export type SequenceCheck = { ok: true } | { ok: false; reason: string; missing: string[] };

/** What the matcher reads: the `type` and any field a path may name. */
export type EventLike = { type: string };

export function expectationType(e: Expectation): string {
  return typeof e === 'string' ? e : e.type;
}

/** The expectation in the words a report uses: `tool_completed` or `tool_completed{tool_name=…}`. */
export function describeExpectation(e: Expectation): string {
  if (typeof e === 'string' || !e.fields) return expectationType(e);
  const fields = Object.entries(e.fields).map(([path, a]) => `${path}${describeAssertion(a)}`);
  return `${e.type}{${fields.join(', ')}}`;
}

function describeAssertion(a: FieldAssertion): string {
  if (a === null || typeof a !== 'object') return `=${JSON.stringify(a)}`;
  if ('equals' in a) return `=${JSON.stringify(a.equals)}`;
  if ('pattern' in a) return `~/${a.pattern}/`;
  return a.exists ? ' exists' : ' absent';
}

/** Paths split into their steps once: a run matches the same few paths against every event of every user. */
const pathSteps = new Map<string, string[]>();

/** Reads a dotted path with optional `$.` and `[n]` steps: `data.items[0].title`. */
export function readPath(value: unknown, path: string): unknown {
  let steps = pathSteps.get(path);
  if (!steps) pathSteps.set(path, (steps = path.replace(/^\$\.?/, '').replace(/\[(\d+)\]/g, '.$1').split('.').filter((s) => s !== '')));
  let here = value;
  for (const step of steps) {
    if (typeof here !== 'object' || here === null) return undefined;
    here = (here as Record<string, unknown>)[step];
  }
  return here;
}

/** Why the event does not meet the expectation (undefined when it does). */
export function mismatch(event: EventLike, e: Expectation, bindings: Bindings = {}): string | undefined {
  if (event.type !== expectationType(e)) return `type is ${event.type}`;
  if (typeof e === 'string' || !e.fields) return undefined;
  for (const [path, assertion] of Object.entries(e.fields)) {
    const actual = readPath(event, path);
    if (!holds(actual, assertion, bindings)) return `${path} is ${actual === undefined ? 'absent' : JSON.stringify(actual)}, expected${describeAssertion(assertion)}`;
  }
  return undefined;
}

function holds(actual: unknown, a: FieldAssertion, bindings: Bindings): boolean {
  // Until the run is known, any run id will do: the exchange binds it from the first event of the run.
  if (a === RUN_ID_VARIABLE && bindings.run_id === undefined) return typeof actual === 'string';
  if (typeof a === 'string' && a.includes('${')) return actual === a.replace(/\$\{(\w+)\}/g, (name: string, key: string) => bindings[key] ?? name);
  if (a === null || typeof a !== 'object') return actual === a;
  if ('equals' in a) return deepEqual(actual, a.equals);
  if ('pattern' in a) return typeof actual === 'string' && new RegExp(a.pattern).test(actual);
  return (actual !== undefined) === a.exists;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Checks that the expected events arrived in order, as a subsequence of `received`. */
export function checkSequence(received: readonly EventLike[], expected: readonly Expectation[], bindings: Bindings = {}): SequenceCheck {
  const found = (e: Expectation, from: number, to = received.length) => {
    for (let i = from; i < to; i++) if (!mismatch(received[i]!, e, bindings)) return i;
    return -1;
  };
  let position = 0;
  for (const [i, expectation] of expected.entries()) {
    const at = found(expectation, position);
    if (at >= 0) {
      position = at + 1;
      continue;
    }
    const missing = expected.slice(i).map(describeExpectation);
    const previous = expected[i - 1];
    // Seen, but only before the event it should follow: the order is wrong, not the content.
    if (previous !== undefined && found(expectation, 0, position) >= 0) {
      return { ok: false, reason: `${describeExpectation(expectation)} arrived before ${describeExpectation(previous)} (out of order)`, missing };
    }
    // The type came but a field did not hold: say which field, with what value.
    const sameType = received.slice(position).find((ev) => ev.type === expectationType(expectation));
    const why = sameType && mismatch(sameType, expectation, bindings);
    return { ok: false, reason: why ? `${expectationType(expectation)} arrived but ${why}` : `event ${describeExpectation(expectation)} missing`, missing };
  }
  return { ok: true };
}

/** The same check, followed event by event as a stream arrives: each event costs one comparison. */
export class SequenceMatcher {
  private next = 0;

  constructor(private readonly expected: readonly Expectation[]) {}

  /** Takes the next event; true once every expectation has been met in order. */
  feed(event: EventLike, bindings: Bindings): boolean {
    const want = this.expected[this.next];
    if (want !== undefined && !mismatch(event, want, bindings)) this.next++;
    return this.next === this.expected.length;
  }
}
