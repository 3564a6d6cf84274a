// Uses of what deprecated imports bind: the names (aliases followed), `module.Name` accesses, and calls of
// the old methods on objects the file visibly builds or declares from them (`n = Name(...)`,
// `self.n = Name(...)`, `n: Name`, `new Name()`), then `n.send_x(...)`. Only syntax nodes are looked at,
// so comments, strings and docstrings are never flagged.
import { rewriteCall } from './calls';
import { dottedText, replace, type Binding, type FileContext } from './context';
import type { Fix } from './finding';
import type { SyntaxNode, Tree } from './parser';
import { methodRule, type DeprecationRule } from './rules';

/** The node names of one grammar family. */
export interface SyntaxProfile {
  identifiers: ReadonlySet<string>;
  /** Member accesses: type -> [object field, property field] (`a.b`, and TypeScript's `a.B` in types). */
  members: Readonly<Record<string, readonly [string, string]>>;
  calls: ReadonlySet<string>;
  /** Statements whose identifiers are declarations, not uses (the import statements). */
  skipped: ReadonlySet<string>;
  /** Nodes that give a name a value (assignment-like): type -> [target field, value field]. */
  assignments: Readonly<Record<string, readonly [string, string]>>;
  /** Nodes that declare a name with a type annotation: type -> the declared name's field (undefined: first identifier). */
  annotated: Readonly<Record<string, string | undefined>>;
}

/** Type expressions around a class name inside an annotation. */
const TYPE_WRAPPERS = new Set(['type', 'generic_type', 'type_parameter', 'type_annotation', 'union_type',
  'binary_operator', 'subscript', 'type_arguments', 'optional_type', 'nullable_type']);

interface MethodCall { call: SyntaxNode; member: SyntaxNode; property: SyntaxNode; object: SyntaxNode }

class UseScan {
  private readonly names = new Map<string, Binding>();
  private readonly modules = new Map<string, Binding>();
  /** Expressions known to hold an instance (`self.notifier`), per rule. */
  private readonly instances = new Map<string, DeprecationRule>();
  /** Node ids of constructor calls used directly (`Name(...).send_x()`). */
  private readonly constructed = new Map<number, DeprecationRule>();
  private readonly copies: Array<[string, string]> = [];
  private readonly methodCalls: MethodCall[] = [];

  constructor(private readonly ctx: FileContext, private readonly profile: SyntaxProfile, bindings: Binding[],
    private readonly declarations: ReadonlySet<number>) {
    for (const b of bindings) (b.kind === 'name' ? this.names : this.modules).set(b.local, b);
  }

  run(tree: Tree): void {
    const cursor = tree.walk();
    let more = true;
    while (more) {
      const type = cursor.nodeType;
      const descend = !this.profile.skipped.has(type);
      if (descend) this.visit(type, cursor.currentNode);
      if (descend && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) { more = false; break; }
      }
    }
    cursor.delete();
    this.resolveMethodCalls();
  }

  private visit(type: string, node: SyntaxNode): void {
    const p = this.profile;
    if (p.identifiers.has(type)) {
      const binding = this.names.get(node.text);
      if (binding && !this.declarations.has(node.id) && this.isReference(node)) this.nameUse(node, binding);
    } else if (p.members[type]) {
      this.memberUse(node, p.members[type]!);
    } else if (p.calls.has(type)) {
      const fn = node.childForFieldName('function');
      const fields = fn && p.members[fn.type];
      const property = fields ? fn.childForFieldName(fields[1]) : null;
      const object = fields ? fn.childForFieldName(fields[0]) : null;
      if (fn && property && object) this.methodCalls.push({ call: node, member: fn, property, object });
    } else if (p.assignments[type]) {
      const [targetField, valueField] = p.assignments[type]!;
      const target = node.childForFieldName(targetField);
      const value = node.childForFieldName(valueField);
      const targetText = target && dottedText(target);
      const valueText = value && dottedText(value);
      if (targetText && valueText) this.copies.push([targetText, valueText]);
    }
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
    const { rule } = binding;
    const r = rule.replacement;
    let fix: Fix | string;
    if (binding.keepsName) fix = `the alias ${binding.local} names ${r?.name ?? 'the replacement'} once the import is rewritten`;
    else if (!r || !binding.importFixed) fix = 'its import has no safe rewrite; fix the import first';
    else fix = { title: `Use ${r.name}`, edits: [replace(node, r.name)] };
    this.ctx.report(rule, 'deprecated-name', node, `${node.text} is deprecated. ${rule.message}`, fix);
    this.noteInstance(node, rule);
  }

  private memberUse(node: SyntaxNode, [objectField, propertyField]: readonly [string, string]): void {
    const property = node.childForFieldName(propertyField);
    const object = node.childForFieldName(objectField);
    const objectText = object && dottedText(object);
    const binding = objectText === undefined || objectText === null ? undefined : this.modules.get(objectText);
    if (!binding || !property || !binding.rule.names.includes(property.text)) return;
    const { rule } = binding;
    const r = rule.replacement;
    let fix: Fix | string;
    if (!r || !binding.importFixed) fix = 'its import has no safe rewrite; fix the import first';
    else if (binding.keepsName) fix = { title: `Use ${objectText}.${r.name}`, edits: [replace(property, r.name)] };
    else fix = { title: `Use ${r.module}.${r.name}`, edits: [replace(node, `${r.module}.${r.name}`)] };
    this.ctx.report(rule, 'deprecated-name', node, `${objectText}.${property.text} is deprecated. ${rule.message}`, fix);
    this.noteInstance(node, rule);
  }

  /** A reference to the deprecated class: remember what it builds or annotates. */
  private noteInstance(ref: SyntaxNode, rule: DeprecationRule): void {
    const parent = ref.parent;
    const p = this.profile;
    if (parent && (p.calls.has(parent.type) || parent.type === 'new_expression')) {
      const callee = parent.childForFieldName(parent.type === 'new_expression' ? 'constructor' : 'function');
      if (callee?.id !== ref.id) return;
      this.constructed.set(parent.id, rule);
      const holder = parent.parent;
      const fields = holder && p.assignments[holder.type];
      if (holder && fields && holder.childForFieldName(fields[1])?.id === parent.id) {
        const target = holder.childForFieldName(fields[0]);
        const key = target && dottedText(target);
        if (key) this.instances.set(key, rule);
      }
      return;
    }
    // An annotation (`n: Name`, `n: Optional[Name]`): climb out of the type to the declaration it annotates.
    let child = ref;
    let holder = parent;
    while (holder && TYPE_WRAPPERS.has(holder.type)) {
      child = holder;
      holder = holder.parent;
    }
    if (!holder || holder.childForFieldName('type')?.id !== child.id) return;
    const field = p.annotated[holder.type] ?? p.assignments[holder.type]?.[0];
    const declared = field ? holder.childForFieldName(field) : holder.namedChildren.find((c) => c?.type === 'identifier');
    const key = declared && dottedText(declared);
    if (key) this.instances.set(holder.type === 'public_field_definition' ? `this.${key}` : key, rule);
  }

  private resolveMethodCalls(): void {
    // `self.n = n` after `n: Name`: copies carry instances along (twice covers a copy of a copy).
    for (let round = 0; round < 2; round++) {
      for (const [target, value] of this.copies) {
        const rule = this.instances.get(value);
        if (rule && !this.instances.has(target)) this.instances.set(target, rule);
      }
    }
    for (const { call, property, object } of this.methodCalls) {
      const objectText = dottedText(object);
      const rule = this.constructed.get(object.id) ?? (objectText ? this.instances.get(objectText) : undefined);
      const method = rule && methodRule(rule, property.text);
      if (!rule || !method) continue;
      const fix = rewriteCall(method, call, property);
      if (method.noEquivalent) {
        this.ctx.report(rule, 'no-equivalent', property, `${property.text} has no equivalent on ${rule.replacement?.name ?? 'the replacement'}: ${method.noEquivalent}`, method.noEquivalent);
      } else {
        const target = rule.replacement ? `${method.rename} on ${rule.replacement.name}` : method.rename;
        this.ctx.report(rule, 'deprecated-call', property, `${property.text} is deprecated: use ${target}.`, fix);
      }
    }
  }
}

/** Reports every use of the bindings in the tree. `declarations`: node ids of the bound names themselves. */
export function reportUses(tree: Tree, ctx: FileContext, profile: SyntaxProfile, bindings: Binding[], declarations: ReadonlySet<number> = new Set()): void {
  if (bindings.length > 0) new UseScan(ctx, profile, bindings, declarations).run(tree);
}
