// The Docker event stream for one compose project's containers, reconnecting with backoff when the
// engine goes away. 'connected' fires once the stream is open (take a snapshot then: nothing after it is
// missed); 'disconnected' when the engine stops answering; 'event' per container event.
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { PROJECT_LABEL, SERVICE_LABEL } from './containers';

/** The container events that change readiness. exec_* (healthchecks run as execs) are left out on purpose. */
const WATCHED_EVENTS = ['create', 'start', 'restart', 'die', 'kill', 'stop', 'oom', 'destroy', 'pause', 'unpause', 'health_status'];

export interface ContainerEvent {
  id: string;
  service: string | undefined;
  /** The action without its detail: 'health_status' for 'health_status: healthy'. */
  action: string;
  detail: string;
  timeNano: number;
}

const BACKOFF_MS = [100, 250, 500, 1000, 2000, 5000];

export declare interface ProjectEvents {
  on(event: 'event', listener: (e: ContainerEvent) => void): this;
  on(event: 'connected', listener: () => void): this;
  on(event: 'disconnected', listener: (error: Error) => void): this;
}

export class ProjectEvents extends EventEmitter {
  private stream: Readable | undefined;
  private retry: NodeJS.Timeout | undefined;
  private attempt = 0;
  private stopped = false;

  constructor(private readonly docker: Docker, private readonly project: string) {
    super();
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.stream?.destroy();
    this.stream = undefined;
  }

  private async connect(): Promise<void> {
    let stream: Readable;
    try {
      // Filtered on the engine's side: only this project's containers and only the events that matter.
      stream = await this.docker.getEvents({ filters: { type: ['container'], label: [`${PROJECT_LABEL}=${this.project}`], event: WATCHED_EVENTS } }) as Readable;
    } catch (e) {
      this.lost(e as Error);
      return;
    }
    if (this.stopped) {
      stream.destroy();
      return;
    }
    this.stream = stream;
    this.attempt = 0;
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line) this.parse(line);
      }
    });
    stream.once('error', (e: Error) => this.lost(e));
    stream.once('end', () => this.lost(Object.assign(new Error('the engine closed the event stream'), { code: 'ECONNRESET' })));
    this.emit('connected');
  }

  private parse(line: string): void {
    try {
      const e = JSON.parse(line) as { id?: string; Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> }; timeNano?: number };
      const [action = '', detail = ''] = (e.Action ?? '').split(/:\s*/, 2);
      this.emit('event', { id: e.Actor?.ID ?? e.id ?? '', service: e.Actor?.Attributes?.[SERVICE_LABEL], action, detail, timeNano: e.timeNano ?? 0 });
    } catch {
      // A line that is not JSON is not an event; the next snapshot corrects anything it would have told.
    }
  }

  private lost(error: Error): void {
    if (this.stopped || this.retry) return;
    this.stream?.destroy();
    this.stream = undefined;
    this.emit('disconnected', error);
    const delay = BACKOFF_MS[Math.min(this.attempt++, BACKOFF_MS.length - 1)] as number;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, delay);
  }
}
