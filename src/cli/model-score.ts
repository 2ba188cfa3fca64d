// `dialogos model score FILE`: the lines of a file that dialogos-mini finds most unusual (bits per byte given
// the lines before them). Registered by registerModelTrain beside train and eval.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { lineSurprise, loadScorer } from '../train/index.js';
import { EXIT, UsageError, act, json, processIo, usageExit2, type CliIo } from './api-common.js';
import { modelFileFor } from './model-file.js';

export interface ModelScoreOptions { model?: string; state?: string; top?: string; json?: boolean }

/** Body of `dialogos model score`; returns the exit code. */
export async function runModelScore(file: string, o: ModelScoreOptions, io: CliIo = processIo): Promise<number> {
  const top = Number(o.top ?? 10);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`Cannot show --top "${o.top}" lines: give a positive integer`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new UsageError(`Cannot read "${file}": ${(cause as NodeJS.ErrnoException).code}`, { cause });
  }
  const model = modelFileFor(o, io.env).file;
  const { scorer } = loadScorer(model);
  const lines = lineSurprise(scorer, text).filter((l) => l.text.trim() !== '');
  const worst = [...lines].sort((a, b) => b.bitsPerByte - a.bitsPerByte).slice(0, top);
  const mean = lines.reduce((s, l) => s + l.bitsPerByte, 0) / Math.max(1, lines.length);
  if (o.json) io.out(json({ file, model, meanBitsPerByte: mean, lines: worst }));
  else {
    io.out(`${file}: ${lines.length} lines, mean ${mean.toFixed(2)} bits/byte; most unusual:\n`);
    for (const l of worst) io.out(`${String(l.line).padStart(6)}  ${l.bitsPerByte.toFixed(2).padStart(5)}  ${l.text.slice(0, 100)}\n`);
  }
  return EXIT.ok;
}

/** Where the scoring verbs find their model, for their help texts. */
export const MODEL_HELP = `MODEL
  --model FILE, else dialogos-mini, the first found of: <state>/train/dialogos-mini.gguf (trained with
  \`dialogos model train\`), /dialogos/models/dialogos-mini.gguf (shipped with the generation), and on a
  build host the checkout's models/dialogos-mini.gguf and build/work/dialogos-mini.gguf (image build output).
  When none exists the error names every place looked at.`;

/** Adds `score` to the `dialogos model` command group. */
export function registerModelScore(model: Command, io: CliIo = processIo): void {
  usageExit2(model.command('score <file>'))
    .description('list the lines of a file that dialogos-mini finds most unusual')
    .option('--model <file>', 'GGUF to score with (default: dialogos-mini, see MODEL)')
    .option('--state <dir>', 'state folder of a host instance (env DIALOGOS_STATE; default: /data/dialogos)')
    .option('--top <n>', 'how many lines to list', '10')
    .option('--json', 'print JSON')
    .addHelpText('after', `
DESCRIPTION
  Scores every line by its bits per byte given the text before it (lineSurprise in src/train) and lists the
  highest: typos, odd constructs, lines unlike the rest of this codebase. A measure of surprise, not of
  correctness.

${MODEL_HELP}

EXIT STATUS
  0 ok, 1 failed (no model found, unreadable model), 2 usage error (unreadable file, bad --top)`)
    .action(async (file: string, o: ModelScoreOptions) => act(io, 'model score', o, () => runModelScore(file, o, io)));
}
