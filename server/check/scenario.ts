// A scenario as the runner uses it: the file's shape (schemas/scenario.schema.json) with defaults filled in,
// durations in milliseconds, steps as tagged values with a label each, and the order of steps checked
// (nothing is sent before a connect). Files, presets and --users all end up here. Strings in messages and
// login requests may use ${user} (the name), ${n} (its 1-based number across all shards) and ${user_id}
// (the token's `sub`); expectations bind the same names, and ${run_id}, when matching (wsclient/sequence.ts).
import type { AuthMode } from '../wsclient/failure';
import type { Expectation } from '../wsclient/sequence';
import { parseDuration } from '../cli/verb';

export type TokenSource =
  | { source: 'mint'; ttl: string; claims?: Record<string, unknown> }
  | { source: 'login'; url: string; method: string; headers: Record<string, string>; body?: unknown; tokenPath: string };

export interface ReconnectPolicy { token: 'fresh' | 'same'; attempts: number; backoffMs: number; maxBackoffMs: number }

export type StepAction =
  | { kind: 'connect' }
  | { kind: 'send'; message: Record<string, unknown> | string; expected?: Expectation[] }
  | { kind: 'expect'; expected: Expectation[] }
  | { kind: 'wait'; ms: number }
  | { kind: 'drop' }
  | { kind: 'reconnect'; policy: ReconnectPolicy }
  | { kind: 'close' };

export type Step = StepAction & { label: string; timeoutMs: number };

export type UserSpec = { pattern: string; count: number } | { list: string[] };

export interface Scenario {
  name: string;
  target: string;
  auth?: AuthMode;
  users: UserSpec;
  token: TokenSource;
  invariants: { isolation: boolean; afterCompleted: boolean };
  steps: Step[];
}

/** A rule the schema cannot say, at a path of the file (the loader turns the path into a line). */
export class ScenarioProblem extends Error {
  constructor(readonly path: Array<string | number>, message: string) {
    super(message);
  }
}

const DEFAULT_TIMEOUT = '10s';
const ACTIONS = ['connect', 'send', 'expect', 'wait', 'drop', 'reconnect', 'close'] as const;

/** From a schema-valid document (a file's or a preset's) to the runner's scenario. */
export function normaliseScenario(raw: Record<string, unknown>, defaultName: string): Scenario {
  const timeoutMs = parseDuration(String(raw.timeout ?? DEFAULT_TIMEOUT));
  const steps = (raw.steps as unknown[]).map((s, i) => toStep(s, i, timeoutMs));
  checkOrder(steps);
  const invariants = (raw.invariants ?? {}) as Record<string, boolean | undefined>;
  return {
    name: typeof raw.name === 'string' ? raw.name : defaultName,
    target: typeof raw.target === 'string' ? raw.target : 'local',
    auth: raw.auth as AuthMode | undefined,
    users: userSpec(raw.users),
    token: tokenSource(raw.token as Record<string, unknown> | undefined),
    invariants: { isolation: invariants.isolation ?? true, afterCompleted: invariants.afterCompleted ?? true },
    steps,
  };
}

function userSpec(raw: unknown): UserSpec {
  if (Array.isArray(raw)) return { list: raw as string[] };
  if (typeof raw === 'object' && raw !== null) {
    const spec = raw as { count: number; name?: string };
    return { pattern: spec.name ?? 'user-{n}', count: spec.count };
  }
  return { pattern: 'user-{n}', count: typeof raw === 'number' ? raw : 1 };
}

/** Every user's name in order; --users N replaces a count (a listed scenario names its own users). */
export function userNames(spec: UserSpec, count?: number): string[] {
  if ('list' in spec) return spec.list;
  return Array.from({ length: count ?? spec.count }, (_, i) => spec.pattern.replaceAll('{n}', String(i + 1)));
}

function tokenSource(raw: Record<string, unknown> | undefined): TokenSource {
  if (raw?.source === 'login') {
    return { source: 'login', url: String(raw.url), method: String(raw.method ?? 'POST'), headers: (raw.headers ?? {}) as Record<string, string>,
      body: raw.body, tokenPath: String(raw.tokenPath ?? 'access_token') };
  }
  return { source: 'mint', ttl: String(raw?.ttl ?? '15m'), claims: raw?.claims as Record<string, unknown> | undefined };
}

function toStep(raw: unknown, index: number, defaultTimeoutMs: number): Step {
  const step = (typeof raw === 'string' ? { [raw]: null } : raw) as Record<string, unknown>;
  const actions = ACTIONS.filter((a) => a in step);
  // send and expect together are one exchange: the message and what must come back.
  const action = actions.length === 2 && actions[0] === 'send' && actions[1] === 'expect' ? 'send' : actions.length === 1 ? actions[0] : undefined;
  if (!action) {
    throw new ScenarioProblem(['steps', index], actions.length === 0
      ? `a step needs one of ${ACTIONS.join(', ')}` : `a step does one thing; this one has ${actions.join(' and ')} (only send may carry expect)`);
  }
  const timeoutMs = step.timeout === undefined ? defaultTimeoutMs : parseDuration(String(step.timeout));
  const value = step[action] as Record<string, unknown> | null | undefined;
  const made = actionOf(action, value, step.expect as Expectation[] | undefined);
  return { ...made, timeoutMs, label: `${index + 1} ${typeof step.name === 'string' ? step.name : describe(made)}` };
}

function actionOf(action: (typeof ACTIONS)[number], value: Record<string, unknown> | null | undefined, expect: Expectation[] | undefined): StepAction {
  switch (action) {
    case 'send': return { kind: 'send', message: value as Record<string, unknown> | string, expected: expect };
    case 'expect': return { kind: 'expect', expected: expect! };
    case 'wait': return { kind: 'wait', ms: parseDuration(String(value)) };
    case 'reconnect': return { kind: 'reconnect', policy: {
      token: value?.token === 'fresh' ? 'fresh' : 'same', attempts: Number(value?.attempts ?? 5),
      backoffMs: parseDuration(String(value?.backoff ?? '100ms')), maxBackoffMs: parseDuration(String(value?.maxBackoff ?? '2s')),
    } };
    default: return { kind: action };
  }
}

function describe(a: StepAction): string {
  if (a.kind === 'send') return `send ${typeof a.message === 'string' ? 'raw text' : String(a.message.type)}`;
  if (a.kind === 'expect') return `expect ${a.expected.map((e) => (typeof e === 'string' ? e : e.type)).join(',')}`;
  if (a.kind === 'wait') return `wait ${a.ms} ms`;
  return a.kind;
}

/** Steps that need a connection come after a connect; reconnect after a connection was made. */
function checkOrder(steps: Step[]): void {
  let connected = false;
  let everConnected = false;
  steps.forEach((step, i) => {
    const fail = (why: string) => { throw new ScenarioProblem(['steps', i], why); };
    if (step.kind === 'connect') {
      if (connected) fail('connect while already connected (drop or close first, or use reconnect)');
      connected = everConnected = true;
    } else if (step.kind === 'reconnect') {
      if (!everConnected) fail('reconnect before any connect');
      connected = true;
    } else if (step.kind === 'send' || step.kind === 'expect' || step.kind === 'drop' || step.kind === 'close') {
      if (!connected) fail(`${step.kind} needs a connection: connect first`);
      if (step.kind === 'drop' || step.kind === 'close') connected = false;
    }
  });
}

export interface UserVars {
  user: string;
  n: number;
  userId?: string;
}

const VARIABLE = /\$\{(user|n|user_id)\}/g;
const HAS_VARIABLE = /\$\{(user|n|user_id)\}/;

/** Each object's JSON, made once: every user substitutes into the same step objects. */
const templates = new WeakMap<object, string>();

/** A copy of the value with the variables replaced in every string, keys included (the value itself when it has none). */
export function substitute<T>(value: T, vars: UserVars): T {
  if (typeof value === 'string') return value.replace(VARIABLE, (_, name: string) => valueOf(name, vars)) as T;
  if (typeof value !== 'object' || value === null) return value;
  let text = templates.get(value);
  if (text === undefined) templates.set(value, (text = JSON.stringify(value)));
  if (!HAS_VARIABLE.test(text)) return value;
  // Replaced inside the JSON text, escaped as JSON string content: one parse instead of a walk per user.
  return JSON.parse(text.replace(VARIABLE, (_, name: string) => JSON.stringify(valueOf(name, vars)).slice(1, -1))) as T;
}

function valueOf(name: string, vars: UserVars): string {
  return name === 'user' ? vars.user : name === 'n' ? String(vars.n) : vars.userId ?? vars.user;
}
