// The run-wide invariants fed event by event, as the runner feeds them: connection ids and run ids that cross
// users, and events of a run after its agent_completed (per connection: each socket gets its own copy).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Invariants } from '../../server/check/invariants';
import type { ReceivedEvent } from '../../server/wsclient/envelope';

function event(type: string, fields: Partial<ReceivedEvent> = {}): ReceivedEvent {
  return { type, timestamp: '2026-01-01T00:00:00.000Z', data: {}, envelope: 'flat', ...fields };
}

test('a connection id of one user in another user\'s event names both', () => {
  const invariants = new Invariants({ isolation: true, afterCompleted: true });
  invariants.see('alice', 'alice', new Set(), event('connection_established', { user_id: 'alice', data: { connection_id: 'conn_a' } }));
  invariants.see('bob', 'bob', new Set(), event('connection_established', { user_id: 'bob', data: { connection_id: 'conn_b' } }));
  invariants.see('bob', 'bob', new Set(), event('pong', { user_id: 'bob', data: { connection_id: 'conn_a' } }));
  invariants.finish();
  assert.deepEqual(invariants.violations.map((v) => [v.kind, v.user, v.owner, v.detail]),
    [['isolation', 'bob', 'alice', 'bob received pong about alice\'s connection conn_a']]);
});

test('a run is owned by the user who got its agent_started, whoever read a leaked event first', () => {
  const invariants = new Invariants({ isolation: true, afterCompleted: true });
  invariants.see('bob', 'bob', new Set(), event('agent_thinking', { run_id: 'r1' }));
  for (const type of ['agent_started', 'agent_thinking', 'agent_completed']) invariants.see('alice', 'alice', new Set(), event(type, { run_id: 'r1' }));
  assert.equal(invariants.count, 0, 'run ownership is judged once all events are in');
  invariants.finish();
  assert.deepEqual(invariants.violations.map((v) => v.detail), ['bob received agent_thinking of alice\'s run r1']);
});

test('an event of a run after its agent_completed on the same connection is a violation; on another connection it is not', () => {
  const invariants = new Invariants({ isolation: true, afterCompleted: true });
  const first = new Set<string>();
  const second = new Set<string>();
  invariants.see('alice', 'alice', first, event('agent_completed', { run_id: 'r1' }));
  invariants.see('alice', 'alice', second, event('tool_completed', { run_id: 'r1' }));
  invariants.see('alice', 'alice', first, event('agent_thinking', { run_id: 'r1' }));
  assert.deepEqual(invariants.violations.map((v) => [v.kind, v.detail]),
    [['after-completed', 'alice received agent_thinking of run r1 after its agent_completed']]);
});

test('invariants switched off in the scenario are not checked', () => {
  const invariants = new Invariants({ isolation: false, afterCompleted: false });
  const completed = new Set<string>();
  invariants.see('bob', 'bob', completed, event('agent_completed', { run_id: 'r1', user_id: 'alice' }));
  invariants.see('bob', 'bob', completed, event('agent_thinking', { run_id: 'r1', user_id: 'alice' }));
  invariants.finish();
  assert.equal(invariants.count, 0);
});
