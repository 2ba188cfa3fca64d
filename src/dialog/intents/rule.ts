// What one retrieval-mode rule is: a name, what it means, the inputs it must and must not take, its
// patterns, and how its captures become an intent.
import type { Phrase } from './pieces.js';

export type Intent =
  | { kind: 'tool'; tool: string; args: Record<string, unknown> }
  | { kind: 'module'; name: string }
  | { kind: 'why'; unit: string }
  | { kind: 'why-journal'; what: string }
  | { kind: 'changes'; since: string }
  | { kind: 'slow' }
  | { kind: 'help' }
  | { kind: 'unknown' };

/** The named captures of the pattern that matched (undefined where a group took no part). */
export type Captures = Record<string, string | undefined>;

/** Where HELP lists a rule's forms. */
export type Topic = 'code' | 'machine' | 'change' | 'evolve';

export interface IntentRule {
  /** Stable id, e.g. `code.definition`: tests and reports name rules by it. */
  name: string;
  /** One line: what the rule understands. */
  says: string;
  /** Inputs that must match this rule and no earlier one (checked by intents.rules.test.ts). */
  examples: string[];
  /** Near misses this rule must not take (another rule, or none, answers them). */
  counterExamples?: string[];
  /** Tried in order on the normalized line; the first that matches whole wins. */
  patterns: Phrase[];
  make: (c: Captures) => Intent;
  /** The line HELP shows: examples joined by " | ", an optional "(note)" after two spaces. */
  help?: { topic: Topic; text: string };
}

export const tool = (name: string, args: Record<string, unknown> = {}): Intent => ({ kind: 'tool', tool: name, args });

/** A capture the pattern guarantees (its group is not optional); throws if a rule breaks that promise. */
export function need(c: Captures, name: string): string {
  const v = c[name];
  if (v === undefined) throw new Error(`Cannot build an intent: capture "${name}" is missing`);
  return v;
}
