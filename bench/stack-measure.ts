// What the stack benchmarks share: percentiles, a bounded wait, and one health flip of the fixture's db (its
// healthcheck fetches /tmp/db/health from the db's own httpd) timed from the engine's health_status event
// (its timeNano) to the StackMonitor's 'change' carrying the new health.
import type Docker from 'dockerode';
import type { StackState } from '../$shared/protocol';
import type { ContainerEvent, ProjectEvents } from '../server/stack/engine/events';
import type { StackMonitor } from '../server/stack/monitor';

export const FLIP_TIMEOUT_MS = 10_000;

export const nowMs = () => performance.timeOrigin + performance.now();

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export async function until<T>(find: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = find();
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export const dbHealth = (s: StackState) => s.services.find((x) => x.name === 'db')?.container.health;

/** Watches one monitor and one plain event subscriber of the same project, flip after flip. */
export class HealthFlips {
  private readonly received: { event: ContainerEvent; at: number }[] = [];
  private readonly used = new Set<{ event: ContainerEvent; at: number }>();
  private readonly published: { health: string | undefined; at: number }[] = [];

  constructor(private readonly docker: Docker, private readonly project: string, monitor: StackMonitor, events: ProjectEvents) {
    events.on('event', (event) => { if (event.action === 'health_status' && event.service === 'db') this.received.push({ event, at: nowMs() }); });
    monitor.on('change', (s) => this.published.push({ health: dbHealth(s), at: nowMs() }));
  }

  /** Flips db's health once; resolves with ms from the event to the monitor's change, and to the plain subscriber. */
  async flip(target: 'healthy' | 'unhealthy'): Promise<{ toMonitor: number; toSubscriber: number }> {
    const [id] = (await this.docker.listContainers({ filters: { label: [`com.docker.compose.project=${this.project}`, 'com.docker.compose.service=db'] } })).map((c) => c.Id);
    const script = target === 'unhealthy' ? 'rm -f /tmp/db/health' : 'echo ok > /tmp/db/health';
    await (await this.docker.getContainer(id as string).exec({ Cmd: ['sh', '-c', script] })).start({});
    const event = await until(() => this.received.find((r) => r.event.detail === target && !this.used.has(r)), FLIP_TIMEOUT_MS, `no health_status ${target} event`);
    this.used.add(event);
    const sent = event.event.timeNano / 1e6;
    const change = await until(() => this.published.find((p) => p.health === target && p.at >= sent - 1), FLIP_TIMEOUT_MS, `monitor never published ${target}`);
    this.published.length = 0;
    return { toMonitor: change.at - sent, toSubscriber: event.at - sent };
  }
}
