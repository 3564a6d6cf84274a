// The check's reports in words and in XML: a text summary a person reads at a glance (sessions, steps passed
// and failed with their latencies, the first failure of each kind with the user and the frames that led to
// it, the invariants), and JUnit XML with one test case per user and step, which CI systems display.
import type { CheckReport, Summary } from './report';

export function renderText(report: CheckReport, summary: Summary, color = false): string {
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const ms = (v: number | undefined) => (v === undefined ? '-' : `${v} ms`);
  const width = Math.max(4, ...summary.steps.map((s) => s.label.length));
  const lines = [
    `handshake check: ${report.scenario} against ${report.target}${report.shard ? ` (shard ${report.shard})` : ''}, ${(report.durationMs / 1000).toFixed(1)} s`,
    `users ${report.users}; sessions established ${report.sessions.established}${report.sessions.failed ? `, failed to open ${report.sessions.failed}` : ''}`,
    `  ${'step'.padEnd(width)}  passed  failed  skipped       p50       p95       p99`,
    ...summary.steps.map((s) => `  ${s.label.padEnd(width)}  ${pad(s.passed, 6)}  ${pad(s.failed, 6)}  ${pad(s.skipped, 7)}  ${pad(ms(s.p50), 8)}  ${pad(ms(s.p95), 8)}  ${pad(ms(s.p99), 8)}`),
  ];
  for (const f of summary.failures) {
    lines.push(paint(31, `FAILED step ${f.step}: ${f.users} user${f.users === 1 ? '' : 's'}, first ${f.user}: ${f.reason}`));
    lines.push(...f.frames.map((frame) => `    ${frame}`));
  }
  if (report.violationCount === 0) lines.push('invariants held: no event crossed users, none came after its run\'s agent_completed');
  else {
    lines.push(paint(31, `INVARIANT VIOLATIONS: ${report.violationCount}${report.violationCount > report.violations.length ? ` (first ${report.violations.length} listed)` : ''}`));
    lines.push(...report.violations.map((v) => `  ${v.kind}: ${v.detail}`));
  }
  lines.push(summary.ok ? paint(32, `passed: ${summary.passed} steps`) : paint(31, `failed: ${summary.failed} of ${summary.passed + summary.failed} steps run failed${summary.skipped ? `, ${summary.skipped} skipped` : ''}; ${report.violationCount} invariant violations`));
  return lines.join('\n');
}

function pad(value: number | string, width: number): string {
  return String(value).padStart(width);
}

/** JUnit XML as Jenkins, GitLab and GitHub reporters read it: one suite per run, a case per user and step,
 *  and one case per invariant (failing with every violation listed). */
export function renderJunit(report: CheckReport): string {
  const suite = `handshake check ${report.scenario}${report.shard ? ` shard ${report.shard}` : ''}`;
  const cases = report.cases.map((c) => {
    const open = `    <testcase classname="${xml(`${report.scenario}.${c.user}`)}" name="${xml(report.steps[c.step] ?? String(c.step))}" time="${seconds(c.ms)}"`;
    if (c.status === 'passed') return `${open}/>`;
    if (c.status === 'skipped') return `${open}>\n      <skipped message="an earlier step of this user failed"/>\n    </testcase>`;
    const reason = c.failure?.reason ?? 'failed';
    return `${open}>\n      <failure message="${xml(reason)}" type="step">${xml([reason, ...(c.failure?.frames ?? [])].join('\n'))}</failure>\n    </testcase>`;
  });
  for (const [kind, name] of [['isolation', 'no user receives another user\'s events'], ['after-completed', 'no event of a run after its agent_completed']] as const) {
    const found = report.violations.filter((v) => v.kind === kind);
    const open = `    <testcase classname="${xml(`${report.scenario}.invariants`)}" name="${xml(name)}" time="0"`;
    cases.push(found.length === 0 ? `${open}/>`
      : `${open}>\n      <failure message="${xml(found[0]!.detail)}" type="${kind}">${xml(found.map((v) => v.detail).join('\n'))}</failure>\n    </testcase>`);
  }
  const failures = report.cases.filter((c) => c.status === 'failed').length + (new Set(report.violations.map((v) => v.kind)).size);
  const skipped = report.cases.filter((c) => c.status === 'skipped').length;
  const attrs = `tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(report.durationMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(suite)}" ${attrs}>`,
    `  <testsuite name="${xml(suite)}" ${attrs} timestamp="${report.startedAt.slice(0, 19)}" hostname="localhost">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function seconds(ms: number | undefined): string {
  return ((ms ?? 0) / 1000).toFixed(3);
}

/** Text and attribute values: the five XML escapes, and control characters XML 1.0 forbids dropped. */
function xml(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
