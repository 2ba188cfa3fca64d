// Retrieval mode's understanding: one line of input, normalized, against the rules in order.
// Deterministic on purpose: with no chat model the dialog answers only what it can look up.
import { RULES } from './rules.js';
import type { Intent, IntentRule } from './rule.js';

/** Trims, collapses spaces, drops a leading "please"/"hey"/"dialogos," and trailing "?.!" and " please". */
export function normalize(input: string): string {
  return input.trim().replace(/\s+/g, ' ').replace(/^(?:please|dialogos,?|hey,?)\s+/i, '')
    .replace(/[?.!]+$/, '').replace(/\s+please$/i, '');
}

export interface RuleMatch { rule: IntentRule; intent: Intent }

/** The first rule that takes the line and the intent it makes, or undefined when none does. */
export function matchRule(input: string, rules: readonly IntentRule[] = RULES): RuleMatch | undefined {
  const text = normalize(input);
  for (const rule of rules) {
    for (const { re } of rule.patterns) {
      const m = re.exec(text);
      if (m) return { rule, intent: rule.make(m.groups ?? {}) };
    }
  }
  return undefined;
}

/** Matches one line of input against the rules; surrounding punctuation and case do not matter. */
export function matchIntent(input: string): Intent {
  return matchRule(input)?.intent ?? { kind: 'unknown' };
}

/** Whether one rule's own patterns take the line (whatever earlier rules would do). */
export function ruleTakes(rule: IntentRule, input: string): boolean {
  const text = normalize(input);
  return rule.patterns.some(({ re }) => re.test(text));
}
