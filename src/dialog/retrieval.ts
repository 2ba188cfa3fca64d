// Retrieval mode: an intent (intents.ts) answered by running tools and quoting what they return.
// It asks back when a name fits several things and never writes prose of its own about the code.
import { changesSince, whatIsSlow, whyJournal } from './ask.js';
import { fmtJournal, fmtUnit, type Formatted } from './format.js';
import { HELP, matchIntent, type Intent } from './intents.js';
import { answerPlain } from './plain-answer.js';
import { validateCall, type ToolContext } from './tools.js';
import type { PlannedCall } from './types.js';

/** What one retrieval turn produced: an answer, a call waiting for y/N, or a question with choices. */
export type Outcome =
  | { kind: 'answer'; result: Formatted; confidence?: 'sure' | 'closest' }
  | { kind: 'confirm'; plan: PlannedCall; tool: string; args: unknown }
  | { kind: 'choose'; result: Formatted; choices: Intent[] };

const answer = (text: string, citations: Formatted['citations'] = []): Outcome => ({ kind: 'answer', result: { text, citations } });

/** Runs an intent; errors of the OS or the index become answers that say what failed. */
export async function retrieve(input: string, c: ToolContext): Promise<Outcome> {
  return runIntent(matchIntent(input), input, c);
}

export async function runIntent(intent: Intent, input: string, c: ToolContext): Promise<Outcome> {
  try {
    switch (intent.kind) {
      case 'help': return answer(HELP);
      case 'unknown': return (await plain(input, c)) ?? answer(`I did not understand "${input.length > 80 ? `${input.slice(0, 77)}...` : input}". `
        + 'In retrieval mode I answer fixed forms of questions and commands; type help to see them, or search WORDS to look through the code and docs.');
      case 'why': return await why(intent.unit, c);
      case 'why-journal': return { kind: 'answer', result: await whyJournal(intent.what, c) };
      case 'changes': return { kind: 'answer', result: await changesSince(intent.since, c) };
      case 'slow': return { kind: 'answer', result: await whatIsSlow(c) };
      case 'module': return await moduleIntent(intent.name, c);
      case 'tool': {
        const { tool, args } = validateCall(intent.tool, intent.args);
        if (tool.plan) return { kind: 'confirm', plan: tool.plan(args, c), tool: tool.name, args };
        const result = await tool.run(args, c);
        if (['code_definition', 'code_callers', 'code_tests'].includes(tool.name) && !result.citations.length) {
          // Nothing by that exact name: the closest text matches, so a misspelt name still leads somewhere.
          const search = validateCall('code_search', { query: String((args as { name: string }).name), k: 3 });
          const near = await search.tool.run(search.args, c);
          return answer(`${result.text}${near.citations.length ? `\n${near.text.replace(/^Best matches/, 'Closest text matches')}` : ''}`, near.citations);
        }
        if (tool.name === 'code_definition' && new Set(result.citations.map((x) => x.path)).size > 1) {
          return {
            kind: 'choose',
            result: {
              text: `${result.text}\n"${String((args as { name: string }).name)}" is defined in ${result.citations.length} places. `
                + `Which one do you mean? Answer with its number (1-${result.citations.length}) to read it.`,
              citations: result.citations,
            },
            choices: result.citations.map((x) => ({ kind: 'tool', tool: 'code_read', args: { path: x.path, from: x.line, to: x.line + 24 } })),
          };
        }
        return { kind: 'answer', result };
      }
    }
  } catch (err) {
    return answer(explain(err));
  }
}

/** A plain question answered from the code's catalog; null when the code tools keep none. */
async function plain(input: string, c: ToolContext): Promise<Outcome | null> {
  const r = await answerPlain(input, c.code);
  if (!r) return null;
  const result = { text: r.text, citations: r.citations };
  if (r.choices) {
    return { kind: 'choose', result, choices: r.choices.map((e) => ({ kind: 'tool', tool: 'code_read', args: { path: e.path, from: e.line, to: Math.max(e.endLine, e.line + 24) } })) };
  }
  return r.confidence === 'none' ? { kind: 'answer', result } : { kind: 'answer', result, confidence: r.confidence };
}

/** Words for a failure of a tool: what could not be done and why. */
export function explain(err: unknown): string {
  const e = err as Error & { status?: number };
  if (e.name === 'DaemonUnreachableError') return `I cannot reach dialogosd, so I cannot see the machine's state: ${e.message}. Questions about the code still work.`;
  if (e.name === 'ApiResponseError') return `dialogosd answered ${e.status}: ${e.message}`;
  return e.message;
}

async function why(unit: string, c: ToolContext): Promise<Outcome> {
  let u;
  try {
    u = await c.os.unit(unit);
  } catch (err) {
    if ((err as { status?: number }).status === 404) return unknownUnit(unit, c);
    throw err;
  }
  // The cause is usually in the service's own output just before the failure, at any level.
  const lines = await c.os.journal({ unit, limit: 15 });
  const bad = lines.filter((e) => ['warn', 'error', 'crit'].includes(e.level)).length;
  const label = `Its last ${lines.length} journal lines (newest last; ${bad} at warn or above):`;
  return answer(`${fmtUnit(u).text}\n${label}\n${fmtJournal(lines, unit).text}`);
}

async function unknownUnit(unit: string, c: ToolContext): Promise<Outcome> {
  const names = (await c.os.units()).map((u) => u.name);
  const close = names.filter((n) => n.includes(unit) || unit.includes(n) || n[0] === unit[0]);
  return answer(`There is no unit "${unit}".${names.length ? ` ${close.length ? `Did you mean: ${close.join(', ')}?` : `The units are: ${names.join(', ')}.`}` : ' No units are configured.'}`);
}

/** "what does journal do": a path, a folder (its index.ts or README.md), or a file's base name. */
async function moduleIntent(name: string, c: ToolContext): Promise<Outcome> {
  const paths = await c.code.paths();
  const n = name.replace(/^\.\//, '').replace(/\/$/, '');
  const exact = [n, `${n}.ts`, `${n}/index.ts`, `src/${n}`, `src/${n}.ts`, `src/${n}/index.ts`, `${n}/README.md`, `src/${n}/README.md`].filter((p) => paths.includes(p));
  const found = exact.length ? [exact[0]!] : paths.filter((p) => {
    const parts = p.split('/');
    const base = parts.at(-1)!.replace(/\.(ts|md)$/, '');
    return !p.endsWith('.test.ts') && (base === n || (parts.at(-2) === n && /^(index\.ts|README\.md)$/.test(parts.at(-1)!)));
  });
  if (!found.length) return answer(`No module or folder named "${name}" in the source. Try: search ${name}`);
  if (found.length === 1) return runIntent({ kind: 'tool', tool: 'code_module', args: { path: found[0] } }, name, c);
  return {
    kind: 'choose',
    result: {
      text: `"${name}" could be any of these:\n${found.slice(0, 15).map((p, i) => `  ${i + 1}) ${p}`).join('\n')}\nWhich one? Answer with its number.`,
      citations: found.slice(0, 15).map((p) => ({ path: p, line: 1 })),
    },
    choices: found.slice(0, 15).map((p) => ({ kind: 'tool', tool: 'code_module', args: { path: p } })),
  };
}
