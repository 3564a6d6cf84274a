// Re-diagnosis of a 2,000-line Python file on each keystroke, as the language server does it: the document
// keeps its tree and re-parses incrementally. Baseline in the same run: a fresh parse and analysis of the same
// texts (what a server without incremental parsing would pay). 200 keystrokes, typed at spread-out places.
import { analyzeText, DocumentAnalyzer } from '../server/diagnostics/analyze';
import { loadRules } from '../server/diagnostics/rules';

const LINES = 2_000;
const KEYSTROKES = 200;
const GOAL_P95_MS = 20;
const FILE = '/workspace/netra_backend/app/agents/big_agent.py';

function bigFile(): string {
  const lines = [
    'from netra_backend.app.services.websocket_notifier import WebSocketNotifier',
    'from netra_backend.app.services.agent_websocket_bridge import AgentWebSocketBridge', '', '',
    'class BigAgent:', '    """A long agent module."""', '',
    '    def __init__(self, ws):', '        self.notifier = WebSocketNotifier(ws)', '',
  ];
  for (let m = 0; lines.length < LINES; m++) {
    lines.push(`    async def step_${m}(self, context, payload=None):`,
      `        # step ${m}`,
      `        result = {"step": ${m}, "payload": payload}`,
      m % 10 === 0 ? '        await self.notifier.send_agent_started(context)' : '        await self.bridge_step(context, result)',
      '        return result', '');
  }
  return `${lines.slice(0, LINES).join('\n')}\n`;
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const rules = loadRules();
  const opts = { workspaceRoot: '/workspace' };
  let text = bigFile();
  // Each keystroke types one character into a comment line somewhere in the file.
  const texts: string[] = [];
  for (let k = 0; k < KEYSTROKES; k++) {
    const from = text.indexOf('# step', (k * 7919) % text.length);
    const at = (from === -1 ? text.indexOf('# step') : from) + '# step'.length;
    text = `${text.slice(0, at)}x${text.slice(at)}`;
    texts.push(text);
  }
  const doc = new DocumentAnalyzer(FILE);
  const first = await doc.analyze(bigFile(), rules, opts);
  await analyzeText(FILE, bigFile(), rules, opts);
  const incremental: number[] = [];
  const fresh: number[] = [];
  let findings = 0;
  for (const t of texts) {
    let started = performance.now();
    findings = (await doc.analyze(t, rules, opts)).length;
    incremental.push(performance.now() - started);
    started = performance.now();
    await analyzeText(FILE, t, rules, opts);
    fresh.push(performance.now() - started);
  }
  doc.dispose();
  const p95 = percentile(incremental, 95);
  console.log(`lint-keystroke: ${LINES} lines, ${first.length} findings (${findings} after ${KEYSTROKES} keystrokes)`);
  console.log(`incremental p50 ${percentile(incremental, 50).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (goal p95 < ${GOAL_P95_MS} ms)`);
  console.log(`fresh parse p50 ${percentile(fresh, 50).toFixed(2)} ms, p95 ${percentile(fresh, 95).toFixed(2)} ms`);
  console.log(`ratio lint-keystroke incremental/fresh p95: ${(p95 / percentile(fresh, 95)).toFixed(2)} (lower is better; goal p95 < ${GOAL_P95_MS} ms)`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
