import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HELP, RULES, checkRules, helpForms, helpText, matchIntent, matchRule, type IntentRule } from './intents.js';
import { phrase } from './intents/pieces.js';

test('the rules keep their promises (examples, counterExamples, HELP, names, pattern length)', () => {
  assert.deepEqual(checkRules(RULES), []);
});

test('every rule has examples, and every example reaches that rule and not an earlier one', () => {
  for (const [i, rule] of RULES.entries()) {
    assert.ok(rule.examples.length > 0, rule.name);
    for (const example of rule.examples) {
      assert.equal(matchRule(example)?.rule.name, rule.name, `${rule.name}: ${example}`);
      for (const earlier of RULES.slice(0, i)) {
        assert.equal(matchRule(example, [earlier]), undefined, `${earlier.name} takes ${example}`);
      }
    }
  }
});

test('no counterExample is taken by its rule', () => {
  for (const rule of RULES) {
    for (const counter of rule.counterExamples ?? []) {
      assert.equal(matchRule(counter, [rule]), undefined, `${rule.name}: ${counter}`);
    }
  }
});

test('HELP is made from the rules and every form it shows is understood by the rule that shows it', () => {
  assert.equal(HELP, helpText(RULES));
  const shown = RULES.filter((r) => r.help);
  assert.ok(shown.length >= 15);
  for (const rule of shown) {
    assert.ok(HELP.includes(rule.help!.text), rule.help!.text);
    for (const form of helpForms(rule.help!.text)) assert.equal(matchRule(form)?.rule.name, rule.name, form);
  }
  assert.deepEqual(helpForms('start web | stop web  (note here)'), ['start web', 'stop web']);
});

test('patterns as written stay short, and rule names are unique', () => {
  for (const rule of RULES) for (const p of rule.patterns) assert.ok(p.text.length <= 100, `${rule.name}: ${p.text}`);
  assert.equal(new Set(RULES.map((r) => r.name)).size, RULES.length);
});

const draft = (over: Partial<IntentRule>): IntentRule => ({
  name: 'draft', says: 'a draft rule', examples: ['ping'], patterns: [phrase`ping`],
  make: () => ({ kind: 'help' }), ...over,
});

test('the check names what a bad rule list gets wrong', () => {
  const shadow = draft({ name: 'shadow', examples: ['status'], patterns: [phrase`status`] });
  assert.match(checkRules([...RULES, shadow]).join('\n'), /rule "shadow": example "status" reaches rule "status"/);
  assert.match(checkRules([draft({ counterExamples: ['PING!'] })]).join('\n'), /counterExample "PING!" matches it/);
  assert.match(checkRules([draft({ examples: ['pong'] })]).join('\n'), /example "pong" reaches no rule/);
  assert.match(checkRules([draft({ help: { topic: 'code', text: 'ping | pang' } })]).join('\n'), /HELP shows "pang"/);
  assert.match(checkRules([draft({}), draft({})]).join('\n'), /rule name "draft" is used twice/);
  const long = draft({ examples: ['p'.repeat(101)], patterns: [{ text: 'p'.repeat(101), re: /^p{101}$/i }] });
  assert.match(checkRules([long]).join('\n'), /pattern "p+" is longer than 100 characters/);
  const bad = checkRules([draft({ says: 'two\nlines', name: 'Bad Name' })]).join('\n');
  assert.match(bad, /name is not dotted.*\n.*says is not one line/);
});

test('a rule added in front takes its inputs from the later rules', () => {
  const ping = draft({ name: 'ping', examples: ['status'], patterns: [phrase`status`],
    make: () => ({ kind: 'unknown' }) });
  assert.equal(matchRule('status', [ping, ...RULES])?.rule.name, 'ping');
  assert.deepEqual(matchIntent('status'), { kind: 'tool', tool: 'status', args: {} });
});
