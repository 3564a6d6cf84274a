// Docker health change -> readiness state published by the StackMonitor: for repeated flips of the fixture
// db's health (removing and restoring the file its healthcheck fetches), the time from the engine's
// health_status event (its timeNano) to the monitor's 'change' carrying the new health. Median and p95;
// goal p95 <= 200 ms. The baseline printed alongside is the event stream's own delivery (timeNano to the
// moment a plain subscriber receives the event), measured on the same flips.
import { loadConfig } from '../server/config/config';
import { connectEngine } from '../server/stack/engine/connect';
import { ProjectEvents } from '../server/stack/engine/events';
import { selectEngine } from '../server/stack/engine/select';
import { StackMonitor } from '../server/stack/monitor';
import { fixtureStack } from '../test/fixtures/stack/fixture';
import { dbHealth, HealthFlips, percentile, until } from './stack-measure';

const FLIPS = 10;
const GOAL_MS = 200;

async function main(): Promise<void> {
  const stack = await fixtureStack('bench-health');
  const clients = connectEngine(selectEngine({}, stack.env), stack.env);
  const events = new ProjectEvents(clients.streaming, stack.project);
  const monitor = new StackMonitor({ workspace: stack.dir, config: loadConfig(stack.dir, stack.env), env: stack.env });
  try {
    await stack.compose('up', '-d', 'db');
    await monitor.start();
    // Wait (bounded) until the monitor sees db healthy, so every flip starts from a known state.
    await until(() => dbHealth(monitor.state) === 'healthy', 15_000, 'db never became healthy');
    const flips = new HealthFlips(clients.docker, stack.project, monitor, events);
    await new Promise<void>((resolve) => { events.once('connected', resolve); events.start(); });
    const toMonitor: number[] = [];
    const toSubscriber: number[] = [];
    for (let flip = 0; flip < FLIPS; flip++) {
      const timing = await flips.flip(flip % 2 === 0 ? 'unhealthy' : 'healthy');
      toMonitor.push(timing.toMonitor);
      toSubscriber.push(timing.toSubscriber);
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
    clients.close();
    await stack.down();
  }
}

void main().catch((e) => {
  console.error(`stack-health-latency: ${(e as Error).message}`);
  process.exitCode = 1;
});
