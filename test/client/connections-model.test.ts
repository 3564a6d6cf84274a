// The Connections view's rows from the inspector's summaries, without VS Code: who, via what, where, state
// with the close code's meaning, duration and frames; newest first, replaced in place when a summary changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConnectionSummary } from '../../$shared/protocol';
import { connectionNode, durationText, MAX_CONNECTIONS, upsertConnection } from '../../client/connections/connections-model';

const base: ConnectionSummary = {
  id: 'conn_1', source: 'client', via: 'panel', userId: 'alice', target: 'ws://127.0.0.1:8787/ws', clientAddress: '127.0.0.1:50000',
  phase: 'open', openedAt: '2026-01-01T00:00:00.000Z', status: 101, framesFromClient: 1, framesFromServer: 6,
  bytesFromClient: 80, bytesFromServer: 1200, droppedFrames: 0,
};

test('an open, a closed and a refused connection read differently', () => {
  const open = connectionNode(base, Date.parse(base.openedAt) + 2500);
  assert.equal(open.label, 'alice');
  assert.equal(open.description, 'client/panel · 127.0.0.1:8787/ws · open · 2.5 s · 7 frames');
  assert.equal(open.icon, 'plug');
  assert.equal(open.contextValue, 'connection.open');
  const closed = connectionNode({ ...base, phase: 'closed', closedAt: '2026-01-01T00:00:00.420Z', closeCode: 1000, closeMeaning: 'normal closure', closedBy: 'client' }, Date.now());
  assert.equal(closed.description, 'client/panel · 127.0.0.1:8787/ws · closed 1000 (normal closure) · 420 ms · 7 frames');
  assert.equal(closed.icon, 'debug-disconnect');
  assert.match(closed.tooltip, /closed by client/);
  const dropped = connectionNode({ ...base, phase: 'closed', closedAt: base.openedAt, closeCode: 1006, closeMeaning: 'abnormal closure: no close frame, the TCP connection dropped' }, 0);
  assert.equal(dropped.icon, 'warning', 'an abnormal close stands out');
  const refused = connectionNode({ ...base, source: 'backend', via: undefined, userId: undefined, phase: 'refused', status: 401, refusal: 'token_expired', closedAt: base.openedAt, framesFromClient: 0, framesFromServer: 0 }, 0);
  assert.equal(refused.label, '(no user)');
  assert.equal(refused.description, 'backend · 127.0.0.1:8787/ws · refused 401 (token_expired) · 0 ms · 0 frames');
  assert.equal(refused.icon, 'error');
});

test('summaries are replaced by id and kept newest first, up to the cap', () => {
  let list: ConnectionSummary[] = [];
  list = upsertConnection(list, base);
  list = upsertConnection(list, { ...base, id: 'conn_2', openedAt: '2026-01-01T00:00:05.000Z' });
  list = upsertConnection(list, { ...base, phase: 'closed', closeCode: 1000 });
  assert.deepEqual(list.map((c) => [c.id, c.phase]), [['conn_2', 'open'], ['conn_1', 'closed']]);
  for (let i = 0; i < MAX_CONNECTIONS + 3; i++) list = upsertConnection(list, { ...base, id: `x${i}`, openedAt: new Date(Date.UTC(2026, 1, 1, 0, 0, i)).toISOString() });
  assert.equal(list.length, MAX_CONNECTIONS);
  assert.equal(list[0]?.id, `x${MAX_CONNECTIONS + 2}`);
  assert.equal(durationText(125_000), '2 min 5 s');
});
