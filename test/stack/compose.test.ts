// The compose model as plain functions over real files in a temp directory: discovery, interpolation,
// depends_on forms, ports, profiles, probes, and errors that name the file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { composeSecret } from '../../server/auth/secret';
import { ComposeError, dependencyOrder, discoverComposeFiles, loadComposeProject } from '../../server/stack/compose';
import type { HandshakeConfig } from '../../server/config/config';
import { tempTree } from '../support/temp-tree';

const workspace = (files: Record<string, string>) => tempTree(files, 'hs-compose-');

function withRaw(dir: string, raw: Record<string, unknown>): HandshakeConfig {
  return { file: path.join(dir, 'handshake.config.json'), workspace: dir, profile: 'development', backend: { host: '127.0.0.1', port: 8787 },
    jwt: { algorithm: 'HS256' }, targets: {}, proxies: [], raw };
}

const STACK = `
services:
  db:
    image: postgres
    ports: ["127.0.0.1:\${DB_PORT:-5432}:5432"]
    healthcheck: { test: ["CMD-SHELL", "pg_isready -U $$POSTGRES_USER"], interval: 1m30s, timeout: 500ms, retries: 3 }
  migrate:
    image: app
    depends_on: { db: { condition: service_healthy } }
  auth:
    image: auth
    environment:
      - JWT_SECRET_KEY=\${SECRET:?set SECRET in .env}
      - PASSED
    depends_on: [db]
  backend:
    image: app
    ports: ["8002:8002"]
    depends_on:
      migrate: { condition: service_completed_successfully }
      auth: { condition: service_started }
  debug:
    image: busybox
    profiles: [debug]
`;

test('discovery prefers the default compose names, then docker/, then a single variant', () => {
  assert.deepEqual(discoverComposeFiles(workspace({ 'compose.yaml': 'services: {}', 'compose.override.yaml': '' }), undefined, {}).map((f) => path.basename(f)),
    ['compose.yaml', 'compose.override.yaml']);
  assert.match(discoverComposeFiles(workspace({ 'docker/docker-compose.yml': '' }), undefined, {})[0] as string, /docker\/docker-compose\.yml$/);
  assert.match(discoverComposeFiles(workspace({ 'docker-compose.dev.yml': '' }), undefined, {})[0] as string, /docker-compose\.dev\.yml$/);
  assert.throws(() => discoverComposeFiles(workspace({ 'docker-compose.a.yml': '', 'docker-compose.b.yml': '' }), undefined, {}), /several compose files.*compose\.files/);
  assert.throws(() => discoverComposeFiles(workspace({}), undefined, {}), /no compose file found/);
  const dir = workspace({ 'compose.yaml': '', 'stack/main.yml': '' });
  assert.deepEqual(discoverComposeFiles(dir, withRaw(dir, { compose: { files: ['stack/main.yml'] } }), {}), [path.join(dir, 'stack/main.yml')]);
});

test('a stack loads with interpolation, .env, both depends_on forms, ports, healthcheck and profiles', () => {
  const dir = workspace({ 'docker-compose.yml': STACK, '.env': 'SECRET=from-dotenv-secret-123\nDB_PORT=6543\n' });
  const project = loadComposeProject(dir, undefined, { PASSED: 'yes', COMPOSE_PROJECT_NAME: 'My.Stack' });
  assert.equal(project.name, 'mystack');
  assert.deepEqual(Object.keys(project.services).sort(), ['auth', 'backend', 'db', 'migrate']);
  assert.deepEqual(project.inactive, ['debug']);
  const { db, auth, backend } = project.services as Record<string, NonNullable<(typeof project.services)[string]>>;
  assert.deepEqual(db?.ports, [{ hostIp: '127.0.0.1', hostPort: 6543, containerPort: 5432, protocol: 'tcp' }]);
  assert.deepEqual(db?.healthcheck, { test: ['CMD-SHELL', 'pg_isready -U $POSTGRES_USER'], intervalMs: 90_000, timeoutMs: 500, retries: 3, startPeriodMs: undefined });
  assert.deepEqual(auth?.environment, { JWT_SECRET_KEY: 'from-dotenv-secret-123', PASSED: 'yes' });
  assert.deepEqual(backend?.dependsOn, [{ service: 'migrate', condition: 'service_completed_successfully' }, { service: 'auth', condition: 'service_started' }]);
  assert.equal(backend?.line, 16);
  // db gets an inferred TCP probe; backend looks like the backend: TCP, /health and /ws.
  assert.deepEqual(db?.probes.map((p) => p.type), ['tcp']);
  assert.deepEqual(backend?.probes.map((p) => `${p.type}:${p.port}${p.path ?? ''}`), ['tcp:8002', 'http:8002/health', 'websocket:8002/ws']);
  assert.deepEqual(dependencyOrder(project), [['db'], ['auth', 'migrate'], ['backend']]);
  assert.deepEqual(dependencyOrder(project, ['migrate']), [['db'], ['migrate']]);
  assert.equal(composeSecret(project)?.secret, 'from-dotenv-secret-123');
  assert.match(composeSecret(project)?.source ?? '', /auth JWT_SECRET_KEY/);
  const withDebug = loadComposeProject(dir, undefined, { PASSED: 'yes', COMPOSE_PROFILES: 'debug' });
  assert.ok(withDebug.services.debug);
  assert.equal(withDebug.name, path.basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, ''));
});

test('interpolation edge cases: ${VAR-default} keeps empty, ${VAR:-d} does not, $$ escapes, nested defaults', () => {
  const dir = workspace({ 'compose.yml': `services:
  s:
    image: "\${EMPTY-dash}|\${EMPTY:-colon}|\${UNSET-\${OTHER:-nested}}|$$HOME|\${SET:+alt}|$SET"
` });
  const project = loadComposeProject(dir, undefined, { EMPTY: '', SET: 'v' });
  assert.equal(project.services.s?.image, '|colon|nested|$HOME|alt|v');
});

test('errors name the file and line: required variable, bad YAML, unknown dependency, cycle', () => {
  const missing = workspace({ 'compose.yml': STACK });
  assert.throws(() => loadComposeProject(missing, undefined, {}), (e: unknown) =>
    e instanceof ComposeError && e.line === 13 && /required variable SECRET is not set: set SECRET in \.env/.test(e.message));
  const bad = workspace({ 'compose.yml': 'services:\n  a:\n    image: x\n  b: [unclosed\n' });
  assert.throws(() => loadComposeProject(bad, undefined, {}), (e: unknown) => e instanceof ComposeError && e.line >= 4 && /invalid YAML/.test(e.message));
  const unknown = workspace({ 'compose.yml': 'services:\n  a:\n    image: x\n    depends_on:\n      - ghost\n' });
  assert.throws(() => loadComposeProject(unknown, undefined, {}), /compose\.yml:5: service a depends on ghost, which is not defined/);
  const cycle = workspace({ 'compose.yml': 'services:\n  a:\n    depends_on: [b]\n  b:\n    depends_on: [a]\n' });
  assert.throws(() => loadComposeProject(cycle, undefined, {}), /compose\.yml:3: dependency cycle: a -> b -> a/);
  const condition = workspace({ 'compose.yml': 'services:\n  a: {}\n  b:\n    depends_on:\n      a: { condition: service_done }\n' });
  assert.throws(() => loadComposeProject(condition, undefined, {}), /compose\.yml:5: service b: depends_on a: condition must be one of/);
});

test('probes: x-handshake declarations and config services.<name>.probes replace inference; overrides merge', () => {
  const dir = workspace({
    'compose.yaml': `services:
  api:
    ports: ["9000:9000"]
    x-handshake:
      probes:
        - { type: websocket, port: 9000, path: /socket, expectFirstMessage: connection_established }
  cache:
    ports: ["6379:6379"]
`,
    'compose.override.yaml': 'services:\n  cache:\n    environment: { A: "1" }\n',
  });
  const project = loadComposeProject(dir, withRaw(dir, { services: { cache: { probes: false } } }), {});
  assert.deepEqual(project.services.api?.probes, [{ type: 'websocket', port: 9000, path: '/socket', expectFirstMessage: 'connection_established' }]);
  assert.deepEqual(project.services.cache?.probes, []);
  assert.deepEqual(project.services.cache?.environment, { A: '1' });
  assert.equal(project.services.cache?.ports[0]?.hostPort, 6379);
});
