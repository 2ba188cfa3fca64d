// The promises every rule list keeps, as a list of problems (empty when it keeps them): tests run it on
// RULES, and whoever adds a rule can run it on a draft list to see what the new rule shadows or misses.
import { helpForms } from './help.js';
import { matchRule, ruleTakes } from './match.js';
import type { IntentRule } from './rule.js';

/** Longest pattern as written (pieces counted by their {label}). */
export const MAX_PATTERN_CHARS = 100;

function ruleShape(rule: IntentRule): string[] {
  const out: string[] = [];
  if (!/^[a-z]+(?:\.[a-z]+)*$/.test(rule.name)) out.push(`rule "${rule.name}": name is not dotted lower-case words`);
  if (rule.says.trim() === '' || rule.says.includes('\n')) out.push(`rule "${rule.name}": says is not one line`);
  if (rule.examples.length === 0) out.push(`rule "${rule.name}": has no examples`);
  if (rule.patterns.length === 0) out.push(`rule "${rule.name}": has no patterns`);
  for (const p of rule.patterns) {
    if (p.text.length <= MAX_PATTERN_CHARS) continue;
    out.push(`rule "${rule.name}": pattern "${p.text}" is longer than ${MAX_PATTERN_CHARS} characters`);
  }
  return out;
}

function ruleExamples(rule: IntentRule, rules: readonly IntentRule[]): string[] {
  const out: string[] = [];
  for (const example of rule.examples) {
    const got = matchRule(example, rules)?.rule.name;
    const where = got ? `rule "${got}"` : 'no rule';
    if (got !== rule.name) out.push(`rule "${rule.name}": example "${example}" reaches ${where}`);
  }
  for (const counter of rule.counterExamples ?? []) {
    if (ruleTakes(rule, counter)) out.push(`rule "${rule.name}": counterExample "${counter}" matches it`);
  }
  for (const form of rule.help ? helpForms(rule.help.text) : []) {
    if (rule.examples.includes(form)) continue;
    out.push(`rule "${rule.name}": HELP shows "${form}", which is not one of its examples`);
  }
  return out;
}

/** Every problem of a rule list: shape, unique names, examples that reach their rule, counterExamples, HELP. */
export function checkRules(rules: readonly IntentRule[]): string[] {
  const names = rules.map((r) => r.name);
  const dup = names.filter((n, i) => names.indexOf(n) !== i).map((n) => `rule name "${n}" is used twice`);
  return [...dup, ...rules.flatMap((r) => [...ruleShape(r), ...ruleExamples(r, rules)])];
}
