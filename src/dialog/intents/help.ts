// HELP, made from the rules' `help` lines so that it shows only forms the matcher really takes.
import { RULES } from './rules.js';
import type { IntentRule, Topic } from './rule.js';

const TOPICS: Array<[Topic, string]> = [
  ['code', 'Code (answers cite path:line)'],
  ['machine', 'The machine (answers quote the API and the journal with seq and time)'],
  ['change', 'Changes (each shows the exact call and asks y/N first)'],
  ['evolve', 'Self-improvement (start, stop and promote ask y/N first)'],
];

/** The examples a HELP line names: "a | b  (note)" gives ["a", "b"]. */
export function helpForms(text: string): string[] {
  return text.replace(/\s{2,}\(.*\)$/, '').split(' | ');
}

const COLUMN = 39;

function section(title: string, lines: string[]): string[] {
  const rows: string[] = [`  ${title}`];
  let i = 0;
  while (i < lines.length) {
    const [a, b] = [lines[i]!, lines[i + 1]];
    const pair = b !== undefined && a.length <= COLUMN - 2 && b.length <= COLUMN;
    rows.push(pair ? `    ${a.padEnd(COLUMN)}${b}` : `    ${a}`);
    i += pair ? 2 : 1;
  }
  return rows;
}

/** The help text for a rule list: intro, one section per topic, then the console's own commands. */
export function helpText(rules: readonly IntentRule[] = RULES): string {
  const body = TOPICS.flatMap(([topic, title]) =>
    section(title, rules.flatMap((r) => (r.help?.topic === topic ? [r.help.text] : []))));
  return [
    'Ask about the code, the machine, or tell it what to do. In retrieval mode (no chat model)',
    'these forms are understood; with a chat model anything goes, and it uses the same tools.',
    '',
    ...body,
    '  The console',
    '    !CMD   run a shell command             :sh   an interactive shell (exit returns here)',
    '    help   this text                       exit  leave (Ctrl-D too)',
  ].join('\n');
}

export const HELP = helpText();
