// Uses of what deprecated imports bind: the names (aliases followed), `module.Name` accesses, and calls of
// the old methods on objects the file visibly builds or declares from them (instances.ts), `n.send_x(...)`.
// Names bound by an import of the rule's replacement are not uses to report, but the old methods called on
// what they build are: after a fix or a hand migration those calls are still broken.
// Candidates are found by searching the text for the few words involved (a bound name, a method name);
// each one counts only if the syntax tree has an identifier node exactly there, so comments, strings and
// docstrings are never flagged. This keeps the JavaScript side off the thousands of nodes that cannot matter.
import { rewriteCall } from './calls';
import { boundNames, dottedText, PROPERTY_NAMES, replace, wordNodes, type Binding, type FileContext, type SyntaxProfile } from './context';
import type { Fix } from './finding';
import { Instances } from './instances';
import type { SyntaxNode } from './parser';
import { methodRule, methodWord, type MethodRule } from './rules';
import type { Syntax } from './syntax';

/** A use's rewrite also joins its import's fix: the import rewritten alone would leave the old name dangling. */
function joinImportFix(importFix: Fix, use: Fix): Fix {
  importFix.edits.push(...use.edits);
  return use;
}

class UseScan {
  private readonly names = new Map<string, Binding>();
  private readonly modules = new Map<string, Binding>();
  private readonly instances: Instances;

  constructor(private readonly ctx: FileContext, private readonly profile: SyntaxProfile, bindings: Binding[],
    private readonly declarations: ReadonlySet<number>, private readonly syntax: Syntax) {
    for (const b of bindings) (b.kind === 'name' ? this.names : this.modules).set(b.local, b);
    this.instances = new Instances(profile, syntax);
  }

  run(): void {
    for (const [local, binding] of this.names) {
      for (const node of this.occurrences(local, this.profile.identifiers)) {
        if (!this.declarations.has(node.id) && this.isReference(node) && !this.inImport(node)) this.nameUse(node, binding);
      }
    }
    const exported = new Set([...this.modules.values()].flatMap(boundNames));
    for (const name of exported) {
      for (const node of this.occurrences(name, PROPERTY_NAMES)) {
        const member = node.parent;
        const fields = member && this.profile.members[member.type];
        if (member && fields && member.childForFieldName(fields[1])?.id === node.id && !this.inImport(member)) this.memberUse(member, fields);
      }
    }
    this.instances.followCopies();
    this.methodCalls();
  }

  private occurrences(word: string, types: ReadonlySet<string>, prefix = false): Generator<SyntaxNode> {
    return wordNodes(this.syntax, word, types, prefix);
  }

  private inImport(node: SyntaxNode): boolean {
    for (let n: SyntaxNode | null = node; n; n = n.parent) if (this.profile.skipped.has(n.type)) return true;
    return false;
  }

  /** Identifiers that name something: not `x.Name` (another object's attribute) nor `f(Name=...)`. */
  private isReference(node: SyntaxNode): boolean {
    const parent = node.parent;
    if (!parent) return true;
    const fields = this.profile.members[parent.type];
    if (fields && parent.childForFieldName(fields[1])?.id === node.id) return false;
    return !(parent.type === 'keyword_argument' && parent.childForFieldName('name')?.id === node.id);
  }

  private nameUse(node: SyntaxNode, binding: Binding): void {
    this.instances.note(node, binding);
    if (binding.replacement) return;
    const { rule } = binding;
    const r = rule.replacement;
    let fix: Fix | string;
    if (binding.keepsName) fix = `the alias ${binding.local} names ${r?.name ?? 'the replacement'} once the import is rewritten`;
    else if (!r || !binding.importFix) fix = 'its import has no safe rewrite; fix the import first';
    else fix = joinImportFix(binding.importFix, { title: `Use ${r.name}`, edits: [replace(node, r.name)] });
    this.ctx.report(rule, 'deprecated-name', node, `${node.text} is deprecated. ${rule.message}`, fix);
  }

  private memberUse(node: SyntaxNode, [objectField, propertyField]: readonly [string, string]): void {
    const property = node.childForFieldName(propertyField);
    const object = node.childForFieldName(objectField);
    const objectText = object && dottedText(object);
    const binding = objectText ? this.modules.get(objectText) : undefined;
    if (!binding || !property || !boundNames(binding).includes(property.text)) return;
    this.instances.note(node, binding);
    if (binding.replacement) return;
    const { rule } = binding;
    const r = rule.replacement;
    let fix: Fix | string;
    if (!r || !binding.importFix) fix = 'its import has no safe rewrite; fix the import first';
    else if (binding.keepsName) fix = joinImportFix(binding.importFix, { title: `Use ${objectText}.${r.name}`, edits: [replace(property, r.name)] });
    else fix = joinImportFix(binding.importFix, { title: `Use ${r.module}.${r.name}`, edits: [replace(node, `${r.module}.${r.name}`)] });
    this.ctx.report(rule, 'deprecated-name', node, `${objectText}.${property.text} is deprecated. ${rule.message}`, fix);
  }

  /** Calls of a rule's old methods whose receiver is a known instance or a direct construction. */
  private methodCalls(): void {
    for (const rule of this.instances.rules()) {
      for (const pattern of rule.methods) {
        for (const property of this.occurrences(methodWord(pattern), PROPERTY_NAMES, pattern.name.endsWith('*'))) {
          const member = property.parent;
          const fields = member && this.profile.members[member.type];
          const call = member?.parent;
          if (!member || !fields || !call || member.childForFieldName(fields[1])?.id !== property.id) continue;
          if (!this.profile.calls.has(call.type) || call.childForFieldName('function')?.id !== member.id) continue;
          const object = member.childForFieldName(fields[0]);
          const receiver = object && this.instances.of(object);
          const method = methodRule(rule, property.text);
          if (receiver?.rule === rule && method) this.report(receiver, method, call, property);
        }
      }
    }
  }

  /** On the replacement, an old method does not exist at all: the reason says so before what to do. */
  private report({ rule, replacement }: Binding, method: MethodRule, call: SyntaxNode, property: SyntaxNode): void {
    const r = rule.replacement?.name ?? 'the replacement';
    const missing = `${r} has no method ${property.text}`;
    if (method.noEquivalent) {
      const why = replacement ? `${missing}: ${method.noEquivalent}` : method.noEquivalent;
      this.ctx.report(rule, 'no-equivalent', property, `${property.text} has no equivalent on ${r}: ${method.noEquivalent}`, why);
      return;
    }
    const target = rule.replacement ? `${method.rename} on ${rule.replacement.name}` : method.rename;
    const message = replacement ? `${missing}: use ${method.rename}.` : `${property.text} is deprecated: use ${target}.`;
    this.ctx.report(rule, 'deprecated-call', property, message, rewriteCall(method, call, property));
  }
}

/** Reports every use of the bindings in the tree. `declarations`: node ids of the bound names themselves. */
export function reportUses(syntax: Syntax, ctx: FileContext, profile: SyntaxProfile, bindings: Binding[], declarations: ReadonlySet<number> = new Set()): void {
  if (bindings.length > 0) new UseScan(ctx, profile, bindings, declarations, syntax).run();
}
