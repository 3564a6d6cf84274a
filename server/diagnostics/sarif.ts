// SARIF 2.1.0 for GitHub code scanning: one run, the rules that fired as tool.driver.rules, results with
// relative artifact URIs under %SRCROOT% and 1-based regions.
import { findingRuleId, messageWithReason } from './finding';
import type { FileReport } from './lint';
import type { Severity } from './rules';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note' };

export function toSarif(reports: readonly FileReport[]): object {
  const rules = new Map<string, object>();
  const results: object[] = [];
  for (const report of reports) {
    for (const f of report.findings) {
      const id = findingRuleId(f);
      if (!rules.has(id)) {
        rules.set(id, {
          id,
          name: f.code.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
          shortDescription: { text: `${f.ruleId}: ${f.code.replace(/-/g, ' ')}` },
          ...(f.replacement ? { fullDescription: { text: `Use ${f.replacement}.` } } : {}),
          ...(f.replacementUrl ? { helpUri: f.replacementUrl } : {}),
          defaultConfiguration: { level: LEVEL[f.severity] },
        });
      }
      results.push({
        ruleId: id,
        ruleIndex: [...rules.keys()].indexOf(id),
        level: LEVEL[f.severity],
        message: { text: messageWithReason(f, 'no automatic fix') },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: encodeURI(report.path), uriBaseId: '%SRCROOT%' },
            region: {
              startLine: f.range.start.line + 1,
              startColumn: f.range.start.character + 1,
              endLine: f.range.end.line + 1,
              endColumn: f.range.end.character + 1,
            },
          },
        }],
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'handshake', informationUri: 'https://example.invalid/handshake', rules: [...rules.values()] } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}
