// Checks that the expected events arrived in order. Other events may come in between (an agent thinks
// more than once, pings interleave): the expected list must be a subsequence of what was received.

export type SequenceCheck = { ok: true } | { ok: false; reason: string; missing: string[] };

export function checkSequence(received: string[], expected: string[]): SequenceCheck {
  let position = 0;
  for (const [i, name] of expected.entries()) {
    const found = received.indexOf(name, position);
    if (found >= 0) {
      position = found + 1;
      continue;
    }
    const missing = expected.slice(i);
    const previous = expected[i - 1];
    // Seen, but only before the event it should follow: the order is wrong, not the content.
    if (previous !== undefined && received.lastIndexOf(name, position - 1) >= 0) {
      return { ok: false, reason: `${name} arrived before ${previous} (out of order)`, missing };
    }
    return { ok: false, reason: `event ${name} missing`, missing };
  }
  return { ok: true };
}
