// Docker health change -> readiness state published by the StackMonitor: for repeated flips of the fixture
// db's health (removing and restoring the file its healthcheck fetches), the time from the engine's
// health_status event (its timeNano) to the monitor's 'change' carrying the new health. Median and p95;
// goal p95 <= 200 ms. The baseline printed alongside is the event stream's own delivery (timeNano to the
// moment a plain subscriber receives the event), measured on the same flips.
import { loadConfig } from '../server/config/config';
import { connectEngine } from '../server/stack/engine/connect';
import { selectEngine } from '../server/stack/engine/select';
import { ProjectEvents, type ContainerEvent } from '../server/stack/engine/events';
import { StackMonitor } from '../server/stack/monitor';
import type { StackState } from '../$shared/protocol';
import { fixtureStack } from '../test/fixtures/stack/fixture';

const FLIPS = 10;
const FLIP_TIMEOUT_MS = 10_000;
const GOAL_MS = 200;

const nowMs = () => performance.timeOrigin + performance.now();

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function main(): Promise<void> {
  const stack = await fixtureStack('bench-health');
  const clients = connectEngine(selectEngine({}, stack.env), stack.env);
  const events = new ProjectEvents(clients.streaming, stack.project);
  const monitor = new StackMonitor({ workspace: stack.dir, config: loadConfig(stack.dir, stack.env), env: stack.env });
  try {
    await stack.compose('up', '-d', 'db');
    await monitor.start();
    const healthOf = (s: StackState) => s.services.find((x) => x.name === 'db')?.container.health;
    // Wait (bounded) until the monitor sees db healthy, so every flip starts from a known state.
    await until(() => healthOf(monitor.state) === 'healthy', 15_000, 'db never became healthy');

    const received: { event: ContainerEvent; at: number }[] = [];
    events.on('event', (event) => { if (event.action === 'health_status' && event.service === 'db') received.push({ event, at: nowMs() }); });
    await new Promise<void>((resolve) => { events.once('connected', resolve); events.start(); });
    const published: { health: string | undefined; at: number }[] = [];
    monitor.on('change', (s) => published.push({ health: healthOf(s), at: nowMs() }));

    const [id] = (await clients.docker.listContainers({ filters: { label: [`com.docker.compose.project=${stack.project}`, 'com.docker.compose.service=db'] } })).map((c) => c.Id);
    const used = new Set<(typeof received)[number]>();
    const toMonitor: number[] = [];
    const toSubscriber: number[] = [];
    for (let flip = 0; flip < FLIPS; flip++) {
      const target = flip % 2 === 0 ? 'unhealthy' : 'healthy';
      const script = target === 'unhealthy' ? 'rm -f /tmp/db/health' : 'echo ok > /tmp/db/health';
      // docker exec: the healthcheck fetches /tmp/db/health from the db's own httpd.
      const exec = await clients.docker.getContainer(id as string).exec({ Cmd: ['sh', '-c', script] });
      await exec.start({});
      const event = await until(() => received.find((r) => r.event.detail === target && !used.has(r)), FLIP_TIMEOUT_MS, `no health_status ${target} event`);
      used.add(event);
      const change = await until(() => published.find((p) => p.health === target && p.at >= event.event.timeNano / 1e6 - 1), FLIP_TIMEOUT_MS, `monitor never published ${target}`);
      published.length = 0;
      toMonitor.push(change.at - event.event.timeNano / 1e6);
      toSubscriber.push(event.at - event.event.timeNano / 1e6);
    }
    console.log(`per flip (ms): ${toMonitor.map((v) => v.toFixed(0)).join(' ')}`);
    const med = percentile(toMonitor, 50);
    const p95 = percentile(toMonitor, 95);
    console.log(`stack health flips: ${FLIPS}; event -> monitor change: median ${med.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (goal p95 <= ${GOAL_MS} ms)`);
    console.log(`stack health flips: event -> plain subscriber: median ${percentile(toSubscriber, 50).toFixed(1)} ms, p95 ${percentile(toSubscriber, 95).toFixed(1)} ms`);
    console.log(`ratio health-latency monitor/event-stream (median): ${(med / Math.max(0.1, percentile(toSubscriber, 50))).toFixed(2)}`);
    if (p95 > GOAL_MS) process.exitCode = 1;
  } finally {
    events.stop();
    await monitor.stop();
    await stack.down();
  }
}

async function until<T>(find: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = find();
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

void main().catch((e) => {
  console.error(`stack-health-latency: ${(e as Error).message}`);
  process.exitCode = 1;
});
