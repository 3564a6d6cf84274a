// Code actions for deprecated-notifier findings: the finding's own rewrite as a quick fix, a disabled
// action that says why when there is no safe rewrite, and "fix all in file" (source.fixAll.handshake).
import {
  CodeActionKind, TextDocumentEdit,
  type ClientCapabilities, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../finding';
import { fixAll } from '../fix';
import { DIAGNOSTIC_SOURCE, sameFinding } from './diagnostic';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.handshake`;
const FIX_ALL_TITLE = 'Fix all deprecated notifier uses in file';

export function codeActions(
  document: TextDocument, findings: Finding[], params: CodeActionParams, client: ClientCapabilities,
): CodeAction[] {
  const only = params.context.only;
  const wanted = (kind: string): boolean => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  if (wanted(CodeActionKind.QuickFix)) {
    for (const diagnostic of params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE)) {
      const finding = findings.find((f) => sameFinding(f, diagnostic));
      if (finding) actions.push(...quickFixes(document, finding, diagnostic, client));
    }
  }
  const fixable = findings.filter((f) => f.fix);
  // Offered in the quick-fix menu only when it does more than the single fix next to it.
  const fixAllKinds = [FIX_ALL_KIND, ...(fixable.length > 1 && actions.length > 0 ? [CodeActionKind.QuickFix] : [])];
  for (const kind of fixAllKinds.filter(wanted)) {
    if (fixable.length === 0) break;
    actions.push({ title: FIX_ALL_TITLE, kind, edit: workspaceEdit(document, fixAll(findings), client) });
  }
  return actions;
}

function quickFixes(document: TextDocument, finding: Finding, diagnostic: Diagnostic, client: ClientCapabilities): CodeAction[] {
  if (finding.fix) {
    return [{
      title: finding.fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true,
      edit: workspaceEdit(document, finding.fix.edits, client),
    }];
  }
  // A disabled action shows the reason in the light-bulb menu; clients without that support get the reason
  // from the diagnostic message alone.
  if (finding.noFixReason && client.textDocument?.codeAction?.disabledSupport) {
    return [{
      title: 'No automatic rewrite (Handshake)', kind: CodeActionKind.QuickFix, diagnostics: [diagnostic],
      disabled: { reason: finding.noFixReason },
    }];
  }
  return [];
}

/** documentChanges with the version the edits were computed for when the client supports it, else changes. */
function workspaceEdit(document: TextDocument, edits: TextEdit[], client: ClientCapabilities): WorkspaceEdit {
  if (client.workspace?.workspaceEdit?.documentChanges) {
    return { documentChanges: [TextDocumentEdit.create({ uri: document.uri, version: document.version }, edits)] };
  }
  return { changes: { [document.uri]: edits } };
}
