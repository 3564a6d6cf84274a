// A finding as the editor shows it: an LSP Diagnostic with source `handshake`, the rule's code (as the CLI
// prints it) and a link to the replacement's documentation. Code actions map diagnostics back to findings
// by code and range.
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { findingRuleId, messageWithReason, type Finding } from '../finding';

export const DIAGNOSTIC_SOURCE = 'handshake';

const severities: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

export function toDiagnostic(finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: severities[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    // The same id as `handshake lint` prints and SARIF carries: one name per rule everywhere.
    code: findingRuleId(finding),
    ...(finding.replacementUrl ? { codeDescription: { href: finding.replacementUrl } } : {}),
    // Clients that cannot show a disabled code action still learn why there is no quick fix.
    message: messageWithReason(finding, 'no automatic rewrite'),
  };
}

export function sameFinding(finding: Finding, diagnostic: Diagnostic): boolean {
  return findingRuleId(finding) === diagnostic.code && sameRange(finding.range, diagnostic.range);
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character
    && a.end.line === b.end.line && a.end.character === b.end.character;
}
