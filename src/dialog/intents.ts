// Retrieval mode's intents: the public face of intents/ (rules with examples, the matcher, HELP).
export type { Captures, Intent, IntentRule, Topic } from './intents/rule.js';
export type { RuleMatch } from './intents/match.js';
export { matchIntent, matchRule, normalize, ruleTakes } from './intents/match.js';
export { RULES } from './intents/rules.js';
export { HELP, helpForms, helpText } from './intents/help.js';
export { checkRules, MAX_PATTERN_CHARS } from './intents/check.js';
