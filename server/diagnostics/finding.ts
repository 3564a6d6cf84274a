// What the analysis reports: one Finding per flagged import, name use or method call, in LSP terms
// (0-based lines, characters in UTF-16 code units) so the language server passes them through unchanged.
import type { Severity } from './rules';

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface TextEdit { range: Range; newText: string }

export type FindingCode = 'deprecated-import' | 'deprecated-name' | 'deprecated-call' | 'no-equivalent';

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Finding {
  ruleId: string;
  code: FindingCode;
  message: string;
  severity: Severity;
  range: Range;
  /** The replacement in words, e.g. "AgentWebSocketBridge from netra_backend.app.services.agent_websocket_bridge". */
  replacement?: string;
  /** The replacement's documentation, when the rule names one (an LSP codeDescription.href). */
  replacementUrl?: string;
  /** Present only for safe rewrites. */
  fix?: Fix;
  /** Why there is no fix, when there is none. */
  noFixReason?: string;
}

/** A finding's rule id as every surface shows it (lint's text, SARIF's ruleId, the editor's code): rule and kind. */
export function findingRuleId(f: Pick<Finding, 'ruleId' | 'code'>): string {
  return `${f.ruleId}/${f.code}`;
}

/** The message with why there is no fix after it (`label: reason`), unless the message already says why. */
export function messageWithReason(f: Pick<Finding, 'message' | 'noFixReason'>, label: string): string {
  const reason = f.noFixReason;
  return reason && !f.message.includes(reason) ? `${f.message} (${label}: ${reason})` : f.message;
}
