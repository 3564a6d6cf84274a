// Uses of what deprecated imports bind: the names (aliases followed), `module.Name` accesses, and calls of
// the old methods on objects the file visibly builds or declares from them (`n = Name(...)`,
// `self.n = Name(...)`, `n: Name`, `new Name()`), then `n.send_x(...)`.
// Candidates are found by searching the text for the few words involved (a bound name, a method name);
// each one counts only if the syntax tree has an identifier node exactly there, so comments, strings and
// docstrings are never flagged. This keeps the JavaScript side off the thousands of nodes that cannot matter.
import { rewriteCall } from './calls';
import { dottedText, replace, wordNodes, type Binding, type FileContext } from './context';
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
const PROPERTY_NAMES = new Set(['identifier', 'property_identifier', 'type_identifier']);

class UseScan {
  private readonly names = new Map<string, Binding>();
  private readonly modules = new Map<string, Binding>();
  /** Expressions known to hold an instance (`self.notifier`), per rule. */
  private readonly instances = new Map<string, DeprecationRule>();
  /** Node ids of constructor calls used directly (`Name(...).send_x()`). */
  private readonly constructed = new Map<number, DeprecationRule>();

  constructor(private readonly ctx: FileContext, private readonly profile: SyntaxProfile, bindings: Binding[],
    private readonly declarations: ReadonlySet<number>, private readonly root: SyntaxNode, private readonly text: string) {
    for (const b of bindings) (b.kind === 'name' ? this.names : this.modules).set(b.local, b);
  }

  run(): void {
    for (const [local, binding] of this.names) {
      for (const node of this.occurrences(local, this.profile.identifiers)) {
        if (!this.declarations.has(node.id) && this.isReference(node) && !this.inImport(node)) this.nameUse(node, binding);
      }
    }
    const exported = new Set([...this.modules.values()].flatMap((b) => b.rule.names));
    for (const name of exported) {
      for (const node of this.occurrences(name, PROPERTY_NAMES)) {
        const member = node.parent;
        const fields = member && this.profile.members[member.type];
        if (member && fields && member.childForFieldName(fields[1])?.id === node.id && !this.inImport(member)) this.memberUse(member, fields);
      }
    }
    this.followCopies();
    this.methodCalls();
  }

  private occurrences(word: string, types: ReadonlySet<string>, prefix = false): Generator<SyntaxNode> {
    return wordNodes(this.root, this.text, word, types, prefix);
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
    const binding = objectText ? this.modules.get(objectText) : undefined;
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

  /** The target of `target = value` when `value` is exactly this node. */
  private assignedTo(value: SyntaxNode): string | undefined {
    const holder = value.parent;
    const fields = holder && this.profile.assignments[holder.type];
    if (!holder || !fields || holder.childForFieldName(fields[1])?.id !== value.id) return undefined;
    const target = holder.childForFieldName(fields[0]);
    const key = target && dottedText(target);
    return key ? this.memberKey(holder, key) : undefined;
  }

  /** A class field (`private n = ...`, `n: Name;`) is used as `this.n`. */
  private memberKey(holder: SyntaxNode, key: string): string {
    return holder.type === 'public_field_definition' ? `this.${key}` : key;
  }

  /** A reference to the deprecated class: remember what it builds or annotates. */
  private noteInstance(ref: SyntaxNode, rule: DeprecationRule): void {
    const parent = ref.parent;
    const p = this.profile;
    if (parent && (p.calls.has(parent.type) || parent.type === 'new_expression')) {
      const callee = parent.childForFieldName(parent.type === 'new_expression' ? 'constructor' : 'function');
      if (callee?.id !== ref.id) return;
      this.constructed.set(parent.id, rule);
      const key = this.assignedTo(parent);
      if (key) this.instances.set(key, rule);
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
    if (key) this.instances.set(this.memberKey(holder, key), rule);
  }

  /** `self.n = n` after `n: Name`: copies carry instances along (twice covers a copy of a copy). */
  private followCopies(): void {
    for (let round = 0; round < 2; round++) {
      for (const [key, rule] of [...this.instances]) {
        for (const node of this.occurrences(key.split('.').at(-1)!, PROPERTY_NAMES)) {
          const expr = key.includes('.') ? node.parent : node;
          const target = expr && dottedText(expr) === key ? this.assignedTo(expr) : undefined;
          if (target && !this.instances.has(target)) this.instances.set(target, rule);
        }
      }
    }
  }

  /** Calls of a rule's old methods whose receiver is a known instance or a direct construction. */
  private methodCalls(): void {
    const rules = new Set([...this.instances.values(), ...this.constructed.values()]);
    for (const rule of rules) {
      for (const pattern of rule.methods) {
        const prefix = pattern.name.endsWith('*');
        for (const property of this.occurrences(prefix ? pattern.name.slice(0, -1) : pattern.name, PROPERTY_NAMES, prefix)) {
          const member = property.parent;
          const fields = member && this.profile.members[member.type];
          const call = member?.parent;
          if (!member || !fields || !call || member.childForFieldName(fields[1])?.id !== property.id) continue;
          if (!this.profile.calls.has(call.type) || call.childForFieldName('function')?.id !== member.id) continue;
          const object = member.childForFieldName(fields[0]);
          const objectText = object && dottedText(object);
          const receiver = object && (this.constructed.get(object.id) ?? (objectText ? this.instances.get(objectText) : undefined));
          const method = methodRule(rule, property.text);
          if (receiver === rule && method) this.report(rule, method, call, property);
        }
      }
    }
  }

  private report(rule: DeprecationRule, method: NonNullable<ReturnType<typeof methodRule>>, call: SyntaxNode, property: SyntaxNode): void {
    if (method.noEquivalent) {
      this.ctx.report(rule, 'no-equivalent', property, `${property.text} has no equivalent on ${rule.replacement?.name ?? 'the replacement'}: ${method.noEquivalent}`, method.noEquivalent);
      return;
    }
    const target = rule.replacement ? `${method.rename} on ${rule.replacement.name}` : method.rename;
    this.ctx.report(rule, 'deprecated-call', property, `${property.text} is deprecated: use ${target}.`, rewriteCall(method, call, property));
  }
}

/** Reports every use of the bindings in the tree. `declarations`: node ids of the bound names themselves. */
export function reportUses(tree: Tree, text: string, ctx: FileContext, profile: SyntaxProfile, bindings: Binding[], declarations: ReadonlySet<number> = new Set()): void {
  if (bindings.length > 0) new UseScan(ctx, profile, bindings, declarations, tree.rootNode, text).run();
}
