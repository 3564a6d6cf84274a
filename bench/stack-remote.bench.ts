// The fixture stack on an engine reached over ssh (a second engine behind a loopback sshd, the tests' lab)
// against the same stack on the local socket, in the same run:
// - first full status: a StackMonitor's start() to its first full state (engine, containers, event stream,
//   probes; over ssh that includes the ssh handshake), alternating local and ssh; goal ratio <= 2; and the
//   same as a user meets it, `handshake status --json` from start to exit (Node loading the CLI included);
// - a health change to the published state: the fixture db's health flipped on each engine, from the
//   engine's health_status event to the monitor's change; goal ratio <= 1.5 and p95 <= 200 ms over ssh.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../server/config/config';
import { connectEngine } from '../server/stack/engine/connect';
import { ProjectEvents } from '../server/stack/engine/events';
import { selectEngine, type EngineTarget } from '../server/stack/engine/select';
import { StackMonitor } from '../server/stack/monitor';
import { FIXTURE_DIR, fixtureStack, type FixtureStack } from '../test/fixtures/stack/fixture';
import { remoteLab } from '../test/stack/remote-lab';
import { dbHealth, HealthFlips, percentile, until } from './stack-measure';

const run = promisify(execFile);
const ROUNDS = 5;
const CLI = path.resolve(__dirname, '../..', 'dist/cli.js');
const FLIPS = 8;

interface Side { name: 'local' | 'ssh'; stack: FixtureStack; env: NodeJS.ProcessEnv; engine: EngineTarget }

const monitorOf = (side: Side) => new StackMonitor({ workspace: side.stack.dir, config: loadConfig(side.stack.dir, side.env), env: side.env, engine: side.engine });

async function firstStatus(side: Side): Promise<number> {
  const monitor = monitorOf(side);
  const began = performance.now();
  const state = await monitor.start();
  const took = performance.now() - began;
  await monitor.stop();
  if (!state.ready) throw new Error(`${side.name}: the fixture is not ready: ${state.services.map((s) => `${s.name}=${s.readiness}`).join(' ')}`);
  return took;
}

/** Waits (bounded) until the side's stack is ready, so every measured start meets the same steady stack. */
async function settled(side: Side): Promise<void> {
  const monitor = monitorOf(side);
  try {
    await monitor.start();
    await until(() => monitor.state.ready, 60_000, `${side.name}: the fixture never became ready`);
  } finally {
    await monitor.stop();
  }
}

async function cliStatus(side: Side): Promise<number> {
  const began = performance.now();
  const context = side.engine.context === 'default' ? [] : ['--context', side.engine.context];
  await run(process.execPath, [CLI, 'status', '--json', ...context], { cwd: side.stack.dir, env: side.env });
  return performance.now() - began;
}

async function healthFlips(side: Side): Promise<number[]> {
  const clients = connectEngine(side.engine, side.env);
  const events = new ProjectEvents(clients.streaming, side.stack.project);
  const monitor = monitorOf(side);
  try {
    await monitor.start();
    await until(() => dbHealth(monitor.state) === 'healthy', 15_000, `${side.name}: db never became healthy`);
    const flips = new HealthFlips(clients.docker, side.stack.project, monitor, events);
    await new Promise<void>((resolve) => { events.once('connected', resolve); events.start(); });
    const times: number[] = [];
    for (let i = 0; i < FLIPS; i++) times.push((await flips.flip(i % 2 === 0 ? 'unhealthy' : 'healthy')).toMonitor);
    return times;
  } finally {
    events.stop();
    await monitor.stop();
    clients.close();
  }
}

async function main(): Promise<void> {
  const lab = await remoteLab('bench', ['handshake/busybox:local', 'handshake/node:local']);
  const sshStack = await fixtureStack('bench-remote-ssh');
  const localStack = await fixtureStack('bench-remote-local');
  const client = lab.sshd.clientHome('engine', 'engine');
  const sshEnv = { ...sshStack.env, ...client.env, COMPOSE_FILE: sshStack.env.COMPOSE_FILE, DOCKER_CONFIG: lab.dockerConfig };
  const composeThere = (...args: string[]) => run('docker-compose', args, { cwd: FIXTURE_DIR, env: { ...sshEnv, DOCKER_HOST: `unix://${lab.engine.socket}` } });
  const sides: Side[] = [
    { name: 'local', stack: localStack, env: localStack.env, engine: selectEngine({}, localStack.env) },
    { name: 'ssh', stack: sshStack, env: sshEnv, engine: selectEngine({ context: 'remote-ssh' }, sshEnv) },
  ];
  try {
    await Promise.all([localStack.compose('up', '-d'), composeThere('up', '-d')]);
    await Promise.all(sides.map(settled));
    const status: Record<string, number[]> = { local: [], ssh: [] };
    const cli: Record<string, number[]> = { local: [], ssh: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
        status[side.name]?.push(await firstStatus(side));
        cli[side.name]?.push(await cliStatus(side));
      }
    }
    const flips: Record<string, number[]> = { local: await healthFlips(sides[0] as Side), ssh: await healthFlips(sides[1] as Side) };
    const fmt = (v: number[] = []) => v.map((x) => x.toFixed(0)).join(' ');
    const med = (name: string, of: Record<string, number[]>) => percentile(of[name] ?? [], 50);
    console.log(`first full status (ms): local ${fmt(status.local)}; ssh ${fmt(status.ssh)}`);
    console.log(`ratio first-status ssh/local (median): ${(med('ssh', status) / med('local', status)).toFixed(2)} (goal <= 2; medians ${med('ssh', status).toFixed(0)} ms vs ${med('local', status).toFixed(0)} ms)`);
    console.log(`handshake status --json (ms): local ${fmt(cli.local)}; ssh ${fmt(cli.ssh)}`);
    console.log(`ratio status-cli ssh/local (median): ${(med('ssh', cli) / med('local', cli)).toFixed(2)} (includes Node loading the CLI; medians ${med('ssh', cli).toFixed(0)} ms vs ${med('local', cli).toFixed(0)} ms)`);
    const p95 = percentile(flips.ssh ?? [], 95);
    console.log(`health change -> published (ms): local ${fmt(flips.local)}; ssh ${fmt(flips.ssh)}`);
    console.log(`ratio health-latency ssh/local (median): ${(med('ssh', flips) / Math.max(0.1, med('local', flips))).toFixed(2)} (goal <= 1.5; ssh p95 ${p95.toFixed(0)} ms, goal <= 200 ms)`);
    if (p95 > 200) process.exitCode = 1;
  } finally {
    await Promise.allSettled([localStack.down(), composeThere('down', '-t', '3')]);
    await lab.stop();
  }
}

void main().catch((e) => {
  console.error(`stack-remote: ${(e as Error).message}`);
  process.exitCode = 1;
});
