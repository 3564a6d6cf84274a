// Scenario files: YAML and JSON read into one scenario, and every kind of mistake reported with the file,
// the line and the field, by loadScenario and by the CLI (exit 2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadScenario, ScenarioError, scenarioValidator } from '../../server/check/load';
import { PRESET_NAMES, presetDocument } from '../../server/check/presets';
import { userNames } from '../../server/check/scenario';
import { check, writeFile } from './support';

const GOOD_YAML = `name: orders
target: ws://127.0.0.1:9/ws
users: { count: 3, name: "shopper-{n}" }
timeout: 5s
steps:
  - connect
  - expect: [connection_established]
  - send: { type: start_agent, data: { query: "order for \${user}" } }
    expect:
      - agent_started
      - { type: tool_completed, fields: { tool_name: knowledge_search } }
    timeout: 2s
  - wait: 100ms
  - drop
  - reconnect: { token: fresh, attempts: 3, backoff: 50ms }
  - close
`;

test('a YAML scenario becomes steps with labels, timeouts and the reconnect policy', () => {
  const scenario = loadScenario(writeFile('orders.yaml', GOOD_YAML));
  assert.equal(scenario.name, 'orders');
  assert.deepEqual(userNames(scenario.users), ['shopper-1', 'shopper-2', 'shopper-3']);
  assert.deepEqual(userNames(scenario.users, 2), ['shopper-1', 'shopper-2']);
  assert.deepEqual(scenario.steps.map((s) => [s.label, s.timeoutMs]), [
    ['1 connect', 5000], ['2 expect connection_established', 5000], ['3 send start_agent', 2000], ['4 wait 100 ms', 5000],
    ['5 drop', 5000], ['6 reconnect', 5000], ['7 close', 5000]]);
  assert.deepEqual(scenario.steps[5], { kind: 'reconnect', policy: { token: 'fresh', attempts: 3, backoffMs: 50, maxBackoffMs: 2000 }, timeoutMs: 5000, label: '6 reconnect' });
  assert.deepEqual(scenario.token, { source: 'mint', ttl: '15m', claims: undefined });
});

test('the same scenario in JSON reads the same', () => {
  const json = JSON.stringify({ name: 'orders', users: ['ann', 'ben'], steps: ['connect', { send: { type: 'ping' }, expect: ['pong'] }, 'close'] }, null, 2);
  const scenario = loadScenario(writeFile('ping.json', json));
  assert.deepEqual(userNames(scenario.users), ['ann', 'ben']);
  assert.deepEqual(scenario.steps.map((s) => s.label), ['1 connect', '2 send ping', '3 close']);
});

function mistake(name: string, text: string): ScenarioError {
  const file = writeFile(name, text);
  try {
    loadScenario(file);
  } catch (e) {
    assert.ok(e instanceof ScenarioError, String(e));
    assert.equal(e.file, file);
    return e;
  }
  assert.fail(`${name} was accepted`);
}

test('malformed scenarios name the file, the line and the field', () => {
  const cases: Array<[string, string, number, string, RegExp]> = [
    ['unknown.yaml', 'steps:\n  - connect\n  - close\nuser: 3\n', 4, 'user', /unknown field/],
    ['step-field.yaml', 'steps:\n  - connect\n  - send: { type: ping }\n    expct: [pong]\n  - close\n', 4, 'steps.1.expct', /unknown field/],
    ['duration.yaml', 'steps:\n  - connect\n  - wait: soon\n  - close\n', 3, 'steps.1.wait', /must match pattern/],
    ['expectation.yaml', 'steps:\n  - connect\n  - expect:\n      - { type: pong, fields: { data.x: { regex: "a" } } }\n  - close\n', 4, 'steps.1.expect.0.fields.data.x', /must/],
    ['users.yaml', 'users: { count: 3, name: shopper }\nsteps: [connect, close]\n', 1, 'users.name', /must contain \{n\}/],
    ['login.yaml', 'token: { source: login }\nsteps: [connect, close]\n', 1, 'token', /must have required property 'url'/],
    ['two-actions.yaml', 'steps:\n  - connect\n  - { wait: 1s, close: {} }\n', 3, 'steps.1', /a step does one thing; this one has wait and close/],
    ['order.yaml', 'steps:\n  - send: { type: ping }\n  - connect\n', 2, 'steps.0', /send needs a connection: connect first/],
    ['syntax.yaml', 'steps:\n  - connect\n  - send: a: b\n  - close\n', 3, '', /invalid YAML: Nested mappings/],
    ['auth.json', '{\n  "auth": "cookie",\n  "steps": ["connect"]\n}\n', 2, 'auth', /must be one of "header", "subprotocol"/],
    ['syntax.json', '{\n  "steps": ["connect",]\n}\n', 2, '', /invalid JSON/],
  ];
  for (const [name, text, line, field, detail] of cases) {
    const e = mistake(name, text);
    assert.deepEqual([e.line, e.field], [line, field], `${name}: ${e.message}`);
    assert.match(e.message, detail, name);
  }
});

test('the CLI reports a bad scenario with file:line: field and exits 2', async () => {
  const file = writeFile('cli-bad.yaml', 'steps:\n  - connect\n  - expect: []\n');
  const run = await check([file]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, new RegExp(`^handshake check: bad scenario: ${file}:3: steps\\.1\\.expect: must NOT have fewer than 1 items$`, 'm'));
});

test('every built-in preset is a valid scenario document', () => {
  const validate = scenarioValidator();
  assert.deepEqual(PRESET_NAMES, ['golden-path', 'error-events']);
  for (const name of PRESET_NAMES) assert.equal(validate(presetDocument(name)), true, `${name}: ${JSON.stringify(validate.errors)}`);
});
