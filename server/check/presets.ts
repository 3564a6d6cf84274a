// The built-in scenarios, runnable with no file against the local backend (`--target` points them
// elsewhere): the golden path that broke in every environment (log in, connect, start an agent, receive the
// five events) and each of the five error events produced on demand. Written in the file format (and held
// to its schema by the tests), so they are also examples of it.
import { RUN_ID_VARIABLE } from '../wsclient/sequence';
import { normaliseScenario, type Scenario } from './scenario';

const ownRun = { run_id: RUN_ID_VARIABLE, user_id: '${user_id}' };

const run = (data: Record<string, unknown>) => ({ type: 'start_agent', data: { query: 'handshake check for ${user}', ...data } });

/** Start an agent and receive the five events of that run, in order (the benchmarks run it too). */
export const GOLDEN_PATH_EXCHANGE = {
  name: 'the five agent events',
  send: run({}),
  expect: [
    { type: 'agent_started', fields: ownRun },
    { type: 'agent_thinking', fields: ownRun },
    { type: 'tool_executing', fields: { ...ownRun, tool_name: { exists: true } } },
    { type: 'tool_completed', fields: { ...ownRun, 'data.result': { exists: true } } },
    { type: 'agent_completed', fields: ownRun },
  ],
};

/** The greeting every connection gets, addressed to this user. */
export const GREETING = { expect: [{ type: 'connection_established', fields: { user_id: '${user_id}' } }], name: 'connection_established' };

const PRESETS: Record<string, Record<string, unknown>> = {
  'golden-path': {
    name: 'golden-path',
    users: { count: 10, name: 'golden-{n}' },
    steps: [
      'connect',
      GREETING,
      GOLDEN_PATH_EXCHANGE,
      'close',
    ],
  },
  'error-events': {
    name: 'error-events',
    users: { count: 1, name: 'errors-{n}' },
    steps: [
      'connect',
      GREETING,
      { name: 'validation_error', send: '{not json', expect: [{ type: 'validation_error', fields: { 'data.code': { exists: true } } }] },
      { name: 'tool_error', send: run({ fail: 'tool' }), expect: [{ type: 'tool_executing', fields: ownRun }, { type: 'tool_error', fields: ownRun }] },
      { name: 'agent_error', send: run({ fail: 'agent' }), expect: [{ type: 'agent_started', fields: ownRun }, { type: 'agent_error', fields: ownRun }] },
      { name: 'timeout_error', send: run({ fail: 'timeout', timeout_ms: 300 }), expect: [{ type: 'agent_started', fields: ownRun }, { type: 'timeout_error', fields: ownRun }] },
      { name: 'system_error', send: run({ fail: 'system' }), expect: [{ type: 'agent_started', fields: ownRun }, { type: 'system_error', fields: ownRun }] },
      { name: 'still serving after the errors', send: { type: 'ping' }, expect: ['pong'] },
      'close',
    ],
  },
};

export const PRESET_NAMES = Object.keys(PRESETS);

/** A preset as written in the file format (the tests hold every preset to the schema, so runs skip ajv's compile). */
export function presetDocument(name: string): Record<string, unknown> | undefined {
  return PRESETS[name];
}

export function presetScenario(name: string): Scenario | undefined {
  const raw = PRESETS[name];
  return raw && normaliseScenario(raw, name);
}
