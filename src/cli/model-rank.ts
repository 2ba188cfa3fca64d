// NAME
//   dialogos model rank - which candidate text for one place in a file reads most like this codebase
//
// SYNOPSIS
//   dialogos model rank --at FILE:LINE [CANDIDATE...] [--candidates JSON] [--model FILE] [--state DIR] [--json]
//   dialogos model rank --before FILE [--after FILE] CANDIDATE... [--candidates JSON] [--model FILE] [--json]
//
// DESCRIPTION
//   Ranks candidates with dialogos-mini (rankEdits in src/train: the self-improvement loop's ranking of
//   candidate edits). --at puts the candidates in place of line LINE of FILE, the current line being
//   always one of them; --before/--after give the text around the span ('-' = stdin).
//
// EXIT STATUS
//   0 ok, 1 failed (no model found, unreadable model), 2 usage (no candidates, bad --at, unreadable file)
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadScorer, rankEdits, type EditRankingInput, type RankedEdit } from '../train/index.js';
import { EXIT, UsageError, act, json, processIo, usageExit2, type CliIo } from './api-common.js';
import { modelFileFor } from './model-file.js';
import { MODEL_HELP } from './model-score.js';

export interface ModelRankOptions { at?: string; before?: string; after?: string; candidates?: string; model?: string; state?: string; json?: boolean }

function readText(file: string, what: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (cause) {
    throw new UsageError(`Cannot read ${what} "${file}": ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause });
  }
}

function candidatesFile(file: string): string[] {
  let v: unknown;
  try { v = JSON.parse(readText(file, '--candidates')); } catch (cause) {
    if (cause instanceof UsageError) throw cause;
    throw new UsageError(`Cannot use --candidates "${file}": not JSON (${(cause as Error).message})`, { cause });
  }
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new UsageError(`Cannot use --candidates "${file}": it must hold a JSON array of strings`);
  return v;
}

/** The ranking input of the options; `current` = the index of the line that is there now (--at). */
export function rankInput(o: ModelRankOptions, given: string[]): EditRankingInput & { current: number | null } {
  const extra = [...given, ...(o.candidates ? candidatesFile(o.candidates) : [])];
  if (o.at) {
    const m = /^(.+):(\d+)$/.exec(o.at);
    if (!m) throw new UsageError(`Cannot rank at "${o.at}": give FILE:LINE`);
    const lines = readText(m[1]!, 'file').split('\n');
    const n = Number(m[2]);
    if (n < 1 || n > lines.length) throw new UsageError(`Cannot rank at "${o.at}": the file has ${lines.length} lines`);
    const current = lines[n - 1]!;
    const before = lines.slice(0, n - 1).map((l) => `${l}\n`).join('');
    const after = n < lines.length ? `\n${lines.slice(n).join('\n')}` : '';
    return { before, after, candidates: [current, ...extra.filter((c) => c !== current)], current: 0 };
  }
  if (!o.before) throw new UsageError('Cannot rank: give --at FILE:LINE, or --before FILE and candidates');
  if (extra.length === 0) throw new UsageError('Cannot rank: give candidates (arguments or --candidates FILE)');
  return { before: readText(o.before, '--before'), ...(o.after ? { after: readText(o.after, '--after') } : {}), candidates: extra, current: null };
}

/** Body of `dialogos model rank`; returns the exit code. */
export async function runModelRank(given: string[], o: ModelRankOptions, io: CliIo = processIo): Promise<number> {
  const input = rankInput(o, given);
  if (input.candidates.length < 2 && input.current !== null) throw new UsageError('Cannot rank: give at least one candidate besides the current line');
  const model = modelFileFor(o, io.env).file;
  const ranked: RankedEdit[] = rankEdits(loadScorer(model).scorer, input);
  if (o.json) io.out(json({ model, current: input.current, ranked }));
  else {
    for (const [i, r] of ranked.entries()) {
      const mark = r.index === input.current ? '  (current)' : '';
      io.out(`${String(i + 1).padStart(3)}. ${r.logProb.toFixed(2).padStart(9)} nats ${r.bitsPerByte.toFixed(2).padStart(6)} bits/byte  ${JSON.stringify(r.candidate).slice(0, 100)}${mark}\n`);
    }
  }
  return EXIT.ok;
}

/** Adds `rank` to the `dialogos model` command group. */
export function registerModelRank(model: Command, io: CliIo = processIo): void {
  usageExit2(model.command('rank [candidates...]'))
    .description('rank candidate texts for one place in a file with dialogos-mini (the ranking of candidate edits)')
    .option('--at <file:line>', 'the candidates replace this line; the current line is one of them')
    .option('--before <file>', 'the text before the span (- = stdin)')
    .option('--after <file>', 'the text after the span (with it, candidates must also lead into it)')
    .option('--candidates <file>', 'more candidates: a JSON array of strings')
    .option('--model <file>', 'GGUF to rank with (default: dialogos-mini, see MODEL)')
    .option('--state <dir>', 'state folder of a host instance (env DIALOGOS_STATE; default: /data/dialogos)')
    .option('--json', 'print JSON')
    .addHelpText('after', `
DESCRIPTION
  Without --after (or --at) the candidates are continuations of the text before, ranked by bits per byte
  (rankCandidates). With it they are replacements of the span, ranked by the log-probability of the
  candidate and the first 16 bytes after it (infill): a candidate must also lead into what follows. The
  library function is rankEdits (src/train/index.ts), which the self-improvement loop calls.

${MODEL_HELP}

EXAMPLES
  dialogos model rank --at src/gen/store.ts:42 '  return ids.sort();' '  return ids;'
  printf 'const total = ' | dialogos model rank --before - 'price * count;' 'price ** count;' --json

EXIT STATUS
  0 ok, 1 failed (no model found, unreadable model), 2 usage error (no candidates, bad --at, unreadable file)`)
    .action(async (cands: string[], o: ModelRankOptions) => act(io, 'model rank', o, () => runModelRank(cands, o, io)));
}
