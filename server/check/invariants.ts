// Run-wide invariants, checked on every event every user receives (SPEC section 3): events of a run go only
// to the user who started it (user ids, run ids and connection ids never cross users), and a run sends
// nothing after its agent_completed. A violation names both users, so a leaking server is caught by name.
import type { ReceivedEvent } from '../wsclient/envelope';

export interface Violation {
  kind: 'isolation' | 'after-completed';
  /** The user who received the event. */
  user: string;
  /** The user the event belonged to (isolation), when known. */
  owner?: string;
  event: { type: string; run_id?: string; user_id?: string };
  detail: string;
}

/** Violations kept for the report; the count goes on past it, so a flood cannot fill memory. */
const MAX_KEPT = 100;

export class Invariants {
  readonly violations: Violation[] = [];
  count = 0;
  private readonly userOfId = new Map<string, string>();
  /** Per run: who received it (with the first event each got) and who got its agent_started. */
  private readonly runs = new Map<string, { starter?: string; receivers: Map<string, ReceivedEvent> }>();
  private readonly ownerOfConnection = new Map<string, string>();

  constructor(private readonly checks: { isolation: boolean; afterCompleted: boolean }) {}

  /** The server's id for a user (the token's `sub`), so an event carrying it can be traced to the user. */
  knowAs(user: string, userId: string): void {
    this.userOfId.set(userId, user);
  }

  /** `completed`: the runs this connection has seen complete (per connection: each socket gets its own copy of a run). */
  see(user: string, userId: string, completed: Set<string>, event: ReceivedEvent): void {
    if (this.checks.isolation) this.isolation(user, userId, event);
    if (!this.checks.afterCompleted || !event.run_id) return;
    if (completed.has(event.run_id)) {
      this.add({ kind: 'after-completed', user, event: brief(event), detail: `${user} received ${event.type} of run ${event.run_id} after its agent_completed` });
    } else if (event.type === 'agent_completed') completed.add(event.run_id);
  }

  private isolation(user: string, userId: string, event: ReceivedEvent): void {
    if (event.user_id !== undefined && event.user_id !== userId) {
      const owner = this.userOfId.get(event.user_id);
      return this.leak(user, owner, event, `addressed to ${owner ?? `user id ${event.user_id}`}`);
    }
    if (event.run_id) {
      let run = this.runs.get(event.run_id);
      if (!run) this.runs.set(event.run_id, (run = { receivers: new Map() }));
      if (!run.receivers.has(user)) run.receivers.set(user, event);
      if (event.type === 'agent_started') run.starter ??= user;
    }
    const connectionId = event.data.connection_id;
    if (typeof connectionId === 'string') {
      const owner = this.ownerOfConnection.get(connectionId);
      if (owner === undefined && event.type === 'connection_established') this.ownerOfConnection.set(connectionId, user);
      else if (owner !== undefined && owner !== user) this.leak(user, owner, event, `about ${owner}'s connection ${connectionId}`);
    }
  }

  /** Runs that reached more than one user: judged once all events are in, so the order users happened to read
   *  them in does not decide whose run it was (the user who got its agent_started started it). */
  finish(): void {
    for (const [runId, run] of this.runs) {
      if (run.receivers.size < 2) continue;
      const owner = run.starter ?? run.receivers.keys().next().value!;
      for (const [user, first] of run.receivers) if (user !== owner) this.leak(user, owner, first, `of ${owner}'s run ${runId}`);
    }
    this.runs.clear();
  }

  private leak(user: string, owner: string | undefined, event: ReceivedEvent, what: string): void {
    this.add({ kind: 'isolation', user, owner, event: brief(event), detail: `${user} received ${event.type} ${what}` });
  }

  private add(v: Violation): void {
    this.count++;
    if (this.violations.length < MAX_KEPT) this.violations.push(v);
  }
}

function brief(e: ReceivedEvent): Violation['event'] {
  return { type: e.type, ...(e.run_id ? { run_id: e.run_id } : {}), ...(e.user_id ? { user_id: e.user_id } : {}) };
}
