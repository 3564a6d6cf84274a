// `handshake status` as a person reads it: the table from a computed state (plain function), colour only
// when asked, long causes clipped to the terminal, and the one line for an unreachable engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StackState } from '../../$shared/protocol';
import { renderStatus, stackProblem } from '../../server/cli/status';
import type { Output } from '../../server/cli/verb';
import { computeStackState } from '../../server/stack/readiness/compute';
import type { ComposeProject } from '../../server/stack/compose/model';

const io = (color: boolean): Output => ({ out: () => undefined, err: () => undefined, color });
const PROJECT: ComposeProject = {
  name: 'demo', files: ['/w/compose.yaml'], workingDir: '/w', inactive: [], warnings: [],
  services: {
    migrate: { name: 'migrate', dependsOn: [], ports: [], environment: {}, profiles: [], probes: [], file: '/w/compose.yaml', line: 2 },
    backend: { name: 'backend', dependsOn: [{ service: 'migrate', condition: 'service_completed_successfully' }], ports: [], environment: {}, profiles: [],
      probes: [{ type: 'tcp', port: 8002 }], file: '/w/compose.yaml', line: 5 },
  },
};

function state(): StackState {
  return computeStackState({
    engine: { status: 'connected', socket: 'unix:///var/run/docker.sock', version: '20.10.24' }, project: PROJECT,
    containers: { migrate: { status: 'exited', exitCode: 1, health: 'none', firstErrorLine: "ModuleNotFoundError: No module named 'alembic'" } },
    probes: {},
    targets: [{ name: 'staging', url: 'wss://staging.example/ws', ready: false, probes: [{ type: 'websocket', target: 'wss://staging.example/ws', ok: false,
      detail: 'WebSocket handshake to wss://staging.example/ws: TLS error (CERT_HAS_EXPIRED) after 40 ms', durationMs: 40, checkedAt: '' }] }],
  });
}

test('status table: one row per service in dependency order, cause column, targets, verdict', () => {
  const lines = renderStatus(state(), io(false));
  assert.equal(lines[0], 'compose project demo (/w/compose.yaml) · Docker 20.10.24 on unix:///var/run/docker.sock');
  assert.match(lines[1] ?? '', /^SERVICE +READINESS +CONTAINER +HEALTH +PROBES +BLOCKED BY \/ CAUSE$/);
  assert.match(lines[2] ?? '', /^migrate +failed +exited \(1\) +- +- +exited with code 1 \(general error\); ModuleNotFoundError: No module named 'alembic'$/);
  assert.match(lines[3] ?? '', /^backend +blocked +absent +- +- +blocked by migrate: migrate exited with code 1/);
  assert.equal(lines[4], 'target staging wss://staging.example/ws: not ready (WebSocket handshake to wss://staging.example/ws: TLS error (CERT_HAS_EXPIRED) after 40 ms)');
  assert.equal(lines[5], 'stack not ready (1 failed, 1 blocked): handshake why migrate explains it');
  assert.ok(lines.every((l) => !l.includes('\x1b[')), 'no colour when color is off (NO_COLOR)');
});

test('status table: colour on request, long lines clipped to the width', () => {
  const coloured = renderStatus(state(), io(true));
  assert.match(coloured[2] ?? '', /\x1b\[31mfailed\x1b\[39m/);
  const narrow = renderStatus(state(), io(false), 60);
  assert.ok(narrow.slice(1, 4).every((l) => l.length <= 60), narrow.join('\n'));
  assert.ok(narrow[2]?.endsWith('…'));
});

test('engine unreachable and compose errors are one line each, with exit 1 and 2', () => {
  const down = computeStackState({ engine: { status: 'unreachable', socket: 'unix:///x.sock', error: 'Docker Engine unreachable at unix:///x.sock: the socket does not exist',
    hint: 'start Docker: sudo systemctl start docker' }, project: PROJECT, containers: {}, probes: {} });
  assert.deepEqual(stackProblem(down), { code: 1, line: 'Docker Engine unreachable at unix:///x.sock: the socket does not exist. What to do: start Docker: sudo systemctl start docker' });
  assert.deepEqual(renderStatus(down, io(false)), [stackProblem(down)?.line]);
  const bad = computeStackState({ engine: { status: 'connected', socket: 's' }, composeError: 'compose.yaml:4: service a depends on ghost, which is not defined', containers: {}, probes: {} });
  assert.equal(stackProblem(bad)?.code, 2);
});
