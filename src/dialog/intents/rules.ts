// The retrieval rules in matching order: the first rule with a pattern that matches the whole line wins.
// To add a rule: write it beside its kind (rules-os.ts, rules-code.ts, or a new rules-<topic>.ts) with a
// name, a one-line `says`, examples that must reach it and counterExamples that must not, then place it in
// this list. intents.rules.test.ts checks that every example reaches its own rule (an earlier rule that
// takes it shadows it) and that HELP shows only real examples. Put catch-all rules (code.search) last.
import { ASK_RULES } from './rules-ask.js';
import { CODE_RULES } from './rules-code.js';
import { EVOLVE_RULES } from './rules-evolve.js';
import { OS_RULES } from './rules-os.js';
import type { IntentRule } from './rule.js';

export const RULES: readonly IntentRule[] = [...EVOLVE_RULES, ...OS_RULES, ...ASK_RULES, ...CODE_RULES];
