// What a run of the benchmark is made of on this host: the Runner (the sandbox when root and the jail
// exists or builds, else the local runner) and the arms (a model arm is skipped, with its reason, when
// its model is not there).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type * as TS from 'typescript';
import { loadCorpus, loadScorer } from '../../../train/index.js';
import { createLocalRunner } from '../../evaluate/index.js';
import { chatProposer, modelSpanScorer, ngramSpanScorer, trainNgram } from '../../propose/index.js';
import { createSandboxRunner } from '../../sandbox/index.js';
import type { Runner } from '../../types.js';
import { kaliArm, proposerArm, randomArm, rankedArm, type Arm } from './arms.js';
import { BenchUsageError } from './errors.js';

/** The sandbox's jail under build/native, built with native/build.sh when missing; null when it cannot be. */
function jail(root: string): string | null {
  const path = join(root, 'build', 'native', 'jail');
  if (existsSync(path)) return path;
  try {
    execFileSync('sh', [join(root, 'native', 'build.sh'), join(root, 'build', 'native'), 'jail'], { stdio: 'ignore' });
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** `want` 'local', 'sandbox', or undefined: the sandbox when root and the jail is there, else local. */
export async function pickRunner(root: string, want: string | undefined): Promise<{ name: string; runner: Runner }> {
  if (want !== undefined && want !== 'local' && want !== 'sandbox') throw new BenchUsageError(`Cannot pick runner "${want}": use local or sandbox`);
  const isRoot = process.getuid?.() === 0;
  if (want === 'local' || (want === undefined && !isRoot)) return { name: `local (${isRoot ? 'asked for' : 'not root'})`, runner: createLocalRunner() };
  const j = jail(root);
  if (j) return { name: `sandbox (jail ${j})`, runner: createSandboxRunner({ jail: j }) };
  if (want === 'sandbox') throw new BenchUsageError('Cannot use the sandbox runner: the jail is missing and native/build.sh could not build it');
  return { name: 'local (the jail could not be built)', runner: createLocalRunner() };
}

/** The trained dialogos-mini: `given`, else the newest .gguf under build/work or models/. */
export function findModel(root: string, given: string | undefined): string | null {
  if (given) return given;
  for (const dir of [join(root, 'build', 'work'), join(root, 'models')]) {
    if (!existsSync(dir)) continue;
    const g = readdirSync(dir).filter((f) => f.endsWith('.gguf')).sort();
    if (g.length) return join(dir, g.at(-1)!);
  }
  return null;
}

export interface ArmChoice { model?: string | undefined; chatUrl?: string | undefined; chatModel?: string | undefined; evals: number }

/** The arms of this run, and why any was skipped. */
export function setupArms(ts: typeof TS, root: string, o: ArmChoice, log: (l: string) => void): { arms: Arm[]; skipped: Record<string, string> } {
  const skipped: Record<string, string> = {};
  const t0 = Date.now();
  const kn = trainNgram(loadCorpus(root).train.map((f) => f.text));
  log(`5-gram trained on the model's training split in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const arms: Arm[] = [randomArm, kaliArm, rankedArm('5-gram', ngramSpanScorer(kn))];
  const model = findModel(root, o.model);
  if (model && existsSync(model)) arms.push(rankedArm('dialogos-mini', modelSpanScorer(loadScorer(model).scorer)));
  else skipped['dialogos-mini'] = model ? `model file "${model}" does not exist` : 'no trained model (.gguf) under build/work or models/; give --model FILE';
  if (o.chatUrl && o.chatModel) arms.push(proposerArm(`chat:${o.chatModel}`, chatProposer(ts, { baseUrl: o.chatUrl, model: o.chatModel }), o.evals));
  else skipped.chat = o.chatUrl ? 'no --chat-model given' : 'no --chat-url given';
  return { arms, skipped };
}
