// What holds an instance of a watched class, where the file makes that knowable: `n = Name(...)`,
// `self.n = Name(...)`, `n: Name`, `new Name()`, class fields, copies of those (`self.n = n`), and a
// construction used directly (`Name(...).send_x()`). Each instance remembers the binding it came from, so
// a call on it knows whether the class is the deprecated one or the rule's replacement.
import { dottedText, PROPERTY_NAMES, wordNodes, type Binding, type SyntaxProfile } from './context';
import type { SyntaxNode } from './parser';
import type { DeprecationRule } from './rules';
import type { Syntax } from './syntax';

/** Type expressions around a class name inside an annotation. */
const TYPE_WRAPPERS = new Set(['type', 'generic_type', 'type_parameter', 'type_annotation', 'union_type',
  'binary_operator', 'subscript', 'type_arguments', 'optional_type', 'nullable_type']);

export class Instances {
  /** Expressions known to hold an instance (`self.notifier`). */
  private readonly held = new Map<string, Binding>();
  /** Node ids of constructor calls used directly. */
  private readonly constructed = new Map<number, Binding>();

  constructor(private readonly profile: SyntaxProfile, private readonly syntax: Syntax) {}

  /** The rules some instance belongs to (only their old method names are worth searching for). */
  rules(): Set<DeprecationRule> {
    return new Set([...this.held.values(), ...this.constructed.values()].map((b) => b.rule));
  }

  /** The binding whose class a call's receiver holds, if known. */
  of(object: SyntaxNode): Binding | undefined {
    const key = dottedText(object);
    return this.constructed.get(object.id) ?? (key ? this.held.get(key) : undefined);
  }

  /** A reference to a watched class: remember what it builds or annotates. */
  note(ref: SyntaxNode, binding: Binding): void {
    const parent = ref.parent;
    const p = this.profile;
    if (parent && (p.calls.has(parent.type) || parent.type === 'new_expression')) {
      const callee = parent.childForFieldName(parent.type === 'new_expression' ? 'constructor' : 'function');
      if (callee?.id !== ref.id) return;
      this.constructed.set(parent.id, binding);
      const key = this.assignedTo(parent);
      if (key) this.held.set(key, binding);
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
    if (key) this.held.set(this.memberKey(holder, key), binding);
  }

  /** `self.n = n` after `n: Name`: copies carry instances along (twice covers a copy of a copy). */
  followCopies(): void {
    let copied = [...this.held];
    for (let round = 0; round < 2 && copied.length > 0; round++) {
      const found: Array<[string, Binding]> = [];
      for (const [key, binding] of copied) {
        for (const node of wordNodes(this.syntax, key.split('.').at(-1)!, PROPERTY_NAMES)) {
          const expr = key.includes('.') ? node.parent : node;
          const target = expr && dottedText(expr) === key ? this.assignedTo(expr) : undefined;
          if (target && !this.held.has(target)) {
            this.held.set(target, binding);
            found.push([target, binding]);
          }
        }
      }
      copied = found; // the second round follows only the copies the first one found
    }
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
}
