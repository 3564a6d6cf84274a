// `handshake lint [PATH…] [--format text|json|sarif] [--fix] [--no-cache]`: the deprecated-API diagnostics
// for CI. Exit 1 while findings remain, 0 when clean, 2 on usage or config errors. Unchanged files' findings
// come from the lint cache (diagnostics/lint-cache.ts) unless --no-cache.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/config';
import { findingRuleId, type Finding } from '../diagnostics/finding';
import { lint, reportPath, type FileReport } from '../diagnostics/lint';
import { LintCache } from '../diagnostics/lint-cache';
import { loadRules, RulesError } from '../diagnostics/rules';
import { toSarif } from '../diagnostics/sarif';
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError, type Output, type Verb } from './verb';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = typeof FORMATS[number];

function textLine(report: FileReport, f: Finding, io: Output): string {
  const where = `${report.path}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
  const severity = io.color ? `\x1b[${f.severity === 'error' ? 31 : f.severity === 'warning' ? 33 : 36}m${f.severity}\x1b[0m` : f.severity;
  const hint = f.fix ? `fix: ${f.fix.title}` : `no automatic fix: ${f.noFixReason ?? 'none'}`;
  return `${where}: ${severity}: ${f.message} [${findingRuleId(f)}]\n    ${hint}`;
}

export const lintVerb: Verb = {
  name: 'lint',
  usage: 'handshake lint [PATH…] [--format text|json|sarif] [--fix] [--no-cache]',
  options: { format: { type: 'string' }, fix: { type: 'boolean' }, json: { type: 'boolean' }, 'no-cache': { type: 'boolean' } },
  allowPositionals: true,
  async run(values, positionals, io) {
    const format = (values.json ? 'json' : (values.format as string | undefined) ?? 'text') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`unknown --format ${JSON.stringify(format)} (text, json or sarif)`);
    const root = process.cwd();
    const paths = positionals.length > 0 ? positionals : ['.'];
    const missing = paths.filter((p) => !fs.existsSync(path.resolve(root, p)));
    if (missing.length > 0) throw new UsageError(`no such file or directory: ${missing.join(', ')}`);
    let rules;
    try {
      rules = loadRules(loadConfig(root));
    } catch (e) {
      if (e instanceof RulesError) throw new UsageError(`config: ${e.message}`);
      throw e;
    }
    const withFindings: FileReport[] = [];
    let files = 0;
    let fixed = 0;
    const cache = values['no-cache'] ? undefined : LintCache.open(root, rules);
    for await (const reports of lint(paths, rules, { workspaceRoot: root, fix: values.fix === true, cache })) {
      for (const report of reports) {
        files++;
        fixed += report.fixed ?? 0;
        if (report.refused) io.err(`${report.path}: --fix refused: ${report.refused}`);
        if (report.unreadable) io.err(`${report.path}: skipped, cannot read it (${report.unreadable})`);
        if (report.findings.length === 0) continue;
        withFindings.push(report);
        if (format === 'text') for (const f of report.findings) io.out(textLine(report, f, io));
      }
    }
    const unsaved = cache?.save(paths.map((p) => reportPath(path.resolve(root, p), root)));
    if (unsaved) io.err(`the lint cache was not saved (${unsaved}); --no-cache runs without it`);
    const findings = withFindings.reduce((n, r) => n + r.findings.length, 0);
    const fixable = withFindings.reduce((n, r) => n + r.findings.filter((f) => f.fix).length, 0);
    const summary = { files, filesWithFindings: withFindings.length, findings, fixable, fixed };
    // Compact, as every verb's JSON: a tree's report runs to megabytes, and pretty-printing it costs more than the rest of the output.
    if (format === 'json') io.out(JSON.stringify({ summary, files: withFindings }));
    else if (format === 'sarif') io.out(JSON.stringify(toSarif(withFindings)));
    else {
      const fixedNote = values.fix ? `, ${fixed} edits applied` : fixable > 0 ? ` (${fixable} fixable with --fix)` : '';
      io.err(`${findings} finding${findings === 1 ? '' : 's'} in ${withFindings.length} of ${files} files${fixedNote}`);
    }
    return findings > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
  },
};
