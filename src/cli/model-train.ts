// `dialogos model train`, `model eval` (and `model score`, `model rank` from their files): train dialogos-mini on a
// generation's own source and measure it on held-out files against an n-gram baseline.
// registerModelTrain(modelCommand) adds the verbs to the `model` group (src/cli/main.ts).
import { availableParallelism, setPriority } from 'node:os';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import {
  KneserNey, corpusFor, evaluate, formatEval, loadRecipe, loadScorer, progressReporter, runningRoot, trainFromSource,
  trainingTokens, type Recipe, type WeightType,
} from '../train/index.js';
import { llmPaths } from '../llm/index.js';
import { EXIT, UsageError, act, json, processIo, usageExit2, type CliIo } from './api-common.js';
import { modelFileFor } from './model-file.js';
import { MODEL_HELP, registerModelScore } from './model-score.js';
import { registerModelRank } from './model-rank.js';

export interface ModelTrainOptions {
  source?: string; recipe?: string; out?: string; state?: string; checkpointDir?: string; resume?: boolean;
  steps?: number; threads?: number; maxSeconds?: number; seed?: number; nice?: number | boolean; type?: string;
  progressEvery?: number; json?: boolean;
}

export interface ModelEvalOptions {
  model?: string; source?: string; recipe?: string; state?: string; maxBytes?: number; order?: number; json?: boolean;
}

const int = (name: string, min: number) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got "${v}"`);
  return n;
};
const seconds = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`must be a positive number of seconds, got "${v}"`);
  return n;
};

/** The recipe to use; an unreadable or invalid recipe is a usage error (exit 2). */
function recipeOf(o: { recipe?: string; seed?: number }): Recipe {
  let r: Recipe;
  try {
    r = loadRecipe(o.recipe ?? 'default');
  } catch (e) {
    throw new UsageError((e as Error).message, { cause: e });
  }
  return o.seed === undefined ? r : { ...r, seed: o.seed };
}

/** Body of `dialogos model train`; returns the exit code. */
export async function runModelTrain(o: ModelTrainOptions, io: CliIo = processIo, tty = process.stderr.isTTY === true): Promise<number> {
  const type = (o.type ?? 'f32') as WeightType;
  if (!['f32', 'f16', 'q8_0'].includes(type)) throw new UsageError(`Cannot write weights as "${o.type}": use f32, f16 or q8_0`);
  const nice = o.nice === true ? 10 : o.nice;
  if (typeof nice === 'number' && nice > 19) throw new UsageError(`Cannot set --nice ${nice}: use 0..19`);
  if (typeof nice === 'number') setPriority(0, nice); // worker threads inherit it
  const recipe = recipeOf(o);
  const source = resolve(o.source ?? runningRoot());
  // The same folder the scoring verbs and the llm service look in for a trained dialogos-mini.
  const stateDir = llmPaths(o.state, io.env).trainDir;
  const out = resolve(o.out ?? join(stateDir, `${recipe.name}.gguf`));
  const checkpointDir = resolve(o.checkpointDir ?? join(stateDir, recipe.name));
  for (const dir of [dirname(out), checkpointDir]) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (cause) {
      throw new UsageError(`Cannot create "${dir}" for the model and checkpoints: ${(cause as NodeJS.ErrnoException).code}; give --state DIR, or --out and --checkpoint-dir`, { cause });
    }
  }
  const progress = progressReporter((s) => io.err(s), tty, o.progressEvery ?? 5000);
  if (!o.json) io.err(`training ${recipe.name} on ${source} (checkpoints in ${checkpointDir}${o.resume ? ', resuming' : ''})\n`);
  const r = await trainFromSource({
    source, recipe, outFile: out, checkpointDir, resume: o.resume, steps: o.steps, threads: o.threads ?? Math.min(2, availableParallelism()),
    maxSeconds: o.maxSeconds, type, onStep: (s) => progress.step(s),
  });
  progress.done();
  if (o.json) io.out(json(r));
  else {
    io.out(`wrote ${r.file} (${r.bytes} bytes, sha256 ${r.sha256})\n`);
    io.out(`step ${r.step}/${r.steps}, final loss ${r.finalLoss?.toFixed(4) ?? '-'} nats/byte, ${Math.round(r.tokensPerSecond)} tok/s, ${r.seconds.toFixed(1)} s this run\n`);
    if (!r.finished) io.out(`stopped by --max-seconds; continue with: dialogos model train --resume${o.recipe ? ` --recipe ${o.recipe}` : ''}\n`);
  }
  return EXIT.ok;
}

/** Body of `dialogos model eval`; returns the exit code. */
export async function runModelEval(o: ModelEvalOptions, io: CliIo = processIo): Promise<number> {
  const recipe = recipeOf(o);
  const model = modelFileFor(o, io.env, recipe.name).file;
  const { scorer } = loadScorer(model);
  const corpus = corpusFor(resolve(o.source ?? runningRoot()), recipe);
  const ngram = new KneserNey(o.order ?? 5, 257).fit(trainingTokens(corpus.train));
  const report = evaluate(scorer, ngram, corpus.heldOut, o.maxBytes ?? 60_000);
  io.out(o.json ? json({ file: model, ...report }) : `model ${model}\n${formatEval(report)}`);
  return EXIT.ok;
}

const TRAIN_HELP = `
DESCRIPTION
  Trains dialogos-mini, a small llama-architecture model, on the source tree it runs from (src/**/*.ts with
  tests, docs/**/*.md, READMEs, bench/, scripts/, native/*.c), minus a fixed ~10 % of files held out for
  evaluation, and writes a GGUF the llm service loads. Checkpoints (weights, optimizer, RNG and data
  position) are written atomically every few steps: after a crash, kill or reboot, --resume continues the
  same loss curve. Training is deterministic for a recipe and corpus, whatever --threads is.

BUDGET
  --threads N uses N worker threads, --max-seconds S stops (after a checkpoint) once S seconds have passed,
  --nice runs at a lower CPU priority. Continue later with --resume; --steps N past the recipe trains longer.

FILES
  <state>/train/<recipe>.gguf and <state>/train/<recipe>/checkpoint.bin, where <state> is --state DIR
  (a host instance; env DIALOGOS_STATE) or /data/dialogos. A trained dialogos-mini.gguf there is the one
  \`model score\`, \`eval\`, \`rank\` and the llm service use, over the shipped one.

EXAMPLES
  dialogos model train --max-seconds 600 --nice
  dialogos model train --resume --steps 2000
  dialogos model train --recipe tiny --source . --out /tmp/tiny.gguf

EXIT STATUS
  0 trained (or stopped by --max-seconds), 1 failed, 2 usage error`;

const EVAL_HELP = `
DESCRIPTION
  Measures a dialogos-mini GGUF on the held-out files of a source tree (files it never saw) against an
  interpolated Kneser-Ney n-gram model trained on the same training files: bits per byte, next-byte top-1
  accuracy, and next-line exact match (the fraction of non-blank lines that greedy decoding reproduces
  exactly from the text before them).

EXAMPLES
  dialogos model eval
  dialogos model eval --model /tmp/tiny.gguf --recipe tiny --json

${MODEL_HELP} (Another --recipe: <state>/train/<recipe>.gguf.)

EXIT STATUS
  0 ok, 1 failed (no model found, unreadable model or source), 2 usage error`;

/** Adds `train`, `eval`, `score` and `rank` to the `dialogos model` command group. */
export function registerModelTrain(model: Command, io: CliIo = processIo): void {
  usageExit2(model.command('train'))
    .description('train dialogos-mini on this generation\'s own source (resumable, within a CPU budget)')
    .option('--source <dir>', 'source tree to learn from (default: the tree this program runs from)')
    .option('--recipe <name|file>', 'default, tiny or a recipe JSON file', 'default')
    .option('--out <file>', 'GGUF to write (default: <state>/train/<recipe>.gguf)')
    .option('--state <dir>', 'state folder of a host instance (default: /data/dialogos)')
    .option('--checkpoint-dir <dir>', 'checkpoint folder (default: <state>/train/<recipe>)')
    .option('--resume', 'continue from the checkpoint when there is one')
    .option('--steps <n>', 'train until this many steps in total (default: the recipe\'s)', int('--steps', 1))
    .option('--threads <n>', 'worker threads (default: 2 or the core count if lower)', int('--threads', 1))
    .option('--max-seconds <s>', 'stop after this many seconds (checkpointed; resume later)', seconds)
    .option('--seed <n>', 'override the recipe\'s seed', int('--seed', 0))
    .option('--nice [n]', 'lower the CPU priority (default 10)', int('--nice', 0))
    .option('--type <type>', 'weight type: f32, f16 or q8_0', 'f32')
    .option('--progress-every <ms>', 'without a terminal, print a progress line this often (0: every step)', int('--progress-every', 0))
    .option('--json', 'print the result as JSON')
    .addHelpText('after', TRAIN_HELP)
    .action(async (o: ModelTrainOptions) => act(io, 'model train', o, () => runModelTrain(o, io)));
  usageExit2(model.command('eval'))
    .description('measure a dialogos-mini GGUF on held-out files against an n-gram baseline')
    .option('--model <file>', 'GGUF to evaluate (default: dialogos-mini, see MODEL)')
    .option('--source <dir>', 'source tree whose held-out files to use (default: the tree this program runs from)')
    .option('--recipe <name|file>', 'recipe that names the model and the held-out fraction', 'default')
    .option('--state <dir>', 'state folder of a host instance (default: /data/dialogos)')
    .option('--max-bytes <n>', 'evaluate at most this many held-out bytes', int('--max-bytes', 1))
    .option('--order <n>', 'n-gram order of the baseline', int('--order', 1))
    .option('--json', 'print the report as JSON')
    .addHelpText('after', EVAL_HELP)
    .action(async (o: ModelEvalOptions) => act(io, 'model eval', o, () => runModelEval(o, io)));
  registerModelScore(model, io);
  registerModelRank(model, io);
}
