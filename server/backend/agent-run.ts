// One agent run: the five events in order with plausible data and a pause before each, or the failure the
// request asks for (tool, agent, timeout, system). A run can be stopped (stop_agent) or dropped (its
// connection closed); its timers never outlive it.
import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunRequest, ServerEvent, ServerEventType } from '../../$shared/wire';
import { makeEvent, type RunContext } from './messages';

const DEFAULT_AGENT_NAME = 'supervisor';
const DEFAULT_TOOLS = ['knowledge_search'];
const DEFAULT_STEP_DELAY_MS = 30;
const DEFAULT_TIMEOUT_MS = 30_000;
/** fail=timeout without timeout_ms: short enough for a CLI check to see timeout_error. */
const DEFAULT_FAIL_TIMEOUT_MS = 1_000;

type EndReason = 'timeout' | 'stopped' | 'dropped';

export class AgentRun {
  readonly context: RunContext & { runId: string; threadId: string; agentName: string };
  private readonly abort = new AbortController();
  private readonly started = Date.now();
  private readonly timeoutMs: number;

  constructor(
    private readonly userId: string,
    private readonly request: RunRequest,
    ids: { runId?: string; threadId?: string },
    private readonly emit: (event: ServerEvent) => void,
  ) {
    this.context = {
      runId: ids.runId ?? `run_${crypto.randomUUID()}`,
      threadId: ids.threadId ?? `thread_${crypto.randomUUID()}`,
      agentName: request.agent_name ?? DEFAULT_AGENT_NAME,
    };
    this.timeoutMs = request.timeout_ms ?? (request.fail === 'timeout' ? DEFAULT_FAIL_TIMEOUT_MS : DEFAULT_TIMEOUT_MS);
  }

  /** Stops the run: 'stopped' tells the client (agent_completed, status stopped); 'dropped' is silent. */
  stop(reason: 'stopped' | 'dropped'): void {
    this.abort.abort(reason);
  }

  /** Runs to its end; never rejects (an internal failure becomes system_error). */
  async execute(): Promise<void> {
    const r = this.request;
    const timer = setTimeout(() => this.abort.abort('timeout' satisfies EndReason), this.timeoutMs);
    const text = r.query ?? r.content ?? '';
    const tools = r.tools ?? DEFAULT_TOOLS;
    try {
      await this.step('agent_started', { status: 'started', query: text, message: `${this.context.agentName} is working on the request`, tools });
      await this.step('agent_thinking', { thought: `Reading the request: ${JSON.stringify(text.slice(0, 80))}`, step_number: 1, total_steps: tools.length + 1 });
      if (r.fail === 'agent') {
        return await this.step('agent_error', { code: 'agent_failed', message: `${this.context.agentName} failed while planning (requested with fail=agent)`, retryable: false });
      }
      const results: Record<string, unknown>[] = [];
      for (const [i, tool] of tools.entries()) {
        if (i > 0) await this.step('agent_thinking', { thought: `Next: ${tool}`, step_number: i + 1, total_steps: tools.length + 1 });
        await this.step('tool_executing', { parameters: { query: text }, step_number: i + 1, message: `running ${tool}` }, tool);
        // Stalls until the run's timeout fires (or it is stopped).
        if (r.fail === 'timeout') await sleep(2 ** 31 - 1, undefined, { signal: this.abort.signal });
        if (r.fail === 'tool') {
          return await this.step('tool_error', { code: 'tool_failed', message: `${tool} failed (requested with fail=tool)`, retryable: true }, tool);
        }
        if (r.fail === 'system') throw new Error(`simulated internal failure in ${tool} (requested with fail=system)`);
        const result = { tool, items: [{ title: `Result for ${text.slice(0, 40) || 'the request'}`, score: 0.92 }], count: 1 };
        results.push(result);
        await this.step('tool_completed', { result, status: 'success', duration_ms: this.stepDelay() }, tool);
      }
      await this.step('agent_completed', { status: 'completed', result: { summary: `Answered using ${tools.join(', ')}`, tools_used: tools, outputs: results }, duration_ms: Date.now() - this.started });
    } catch (e) {
      this.end(e);
    } finally {
      clearTimeout(timer);
    }
  }

  private stepDelay(): number {
    return this.request.step_delay_ms ?? DEFAULT_STEP_DELAY_MS;
  }

  private async step(type: ServerEventType, data: Record<string, unknown>, toolName?: string): Promise<void> {
    // The pause makes the run look like real work and lets stop_agent and timeouts land between events.
    await sleep(this.stepDelay(), undefined, { signal: this.abort.signal });
    this.emit(makeEvent(type, this.userId, this.context, data, toolName));
  }

  private end(e: unknown): void {
    const reason = this.abort.signal.aborted ? (this.abort.signal.reason as EndReason) : undefined;
    if (reason === 'dropped') return;
    if (reason === 'timeout') {
      this.emit(makeEvent('timeout_error', this.userId, this.context, { code: 'run_timeout', message: `the run exceeded its timeout of ${this.timeoutMs} ms`, retryable: true, timeout_ms: this.timeoutMs }));
    } else if (reason === 'stopped') {
      this.emit(makeEvent('agent_completed', this.userId, this.context, { status: 'stopped', result: null, duration_ms: Date.now() - this.started, message: 'stopped by stop_agent' }));
    } else {
      this.emit(makeEvent('system_error', this.userId, this.context, { code: 'internal_error', message: `internal failure: ${(e as Error).message}`, retryable: true }));
    }
  }
}
