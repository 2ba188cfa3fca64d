// Finding dialogos-mini, the model every generation ships: one answer for the CLI (`model score`, `eval`,
// `rank`), the model store (what the service serves as "dialogos-mini") and `host start --llm`.
import { existsSync } from 'node:fs';
import { DEFAULT_MODEL, type LlmPaths } from './paths.js';

/** No dialogos-mini GGUF in any of the places; `looked` lists them in the order tried. */
export class DefaultModelMissingError extends Error {
  override name = 'DefaultModelMissingError';
  constructor(readonly looked: string[], readonly model: string = DEFAULT_MODEL) {
    super(`Cannot find ${model}: ${looked.length === 1 ? `"${looked[0]}" does not exist` : `none of ${looked.map((f) => `"${f}"`).join(', ')} exists`}. ${HOW_TO_GET}`);
  }
}

/** How a person gets one, in words (also printed by `host start --llm` when there is none). */
export const HOW_TO_GET = 'Build one with `./dialogos image build` (it trains and ships it), ' +
  `train one with \`dialogos model train\` (it writes <state>/train/${DEFAULT_MODEL}.gguf), or give a GGUF with --model FILE`;

export type DefaultModelPlace = 'trained' | 'shipped' | 'checkout';

export interface FoundDefaultModel { file: string; place: DefaultModelPlace }

/** What kind of place `file` is among `paths.defaultModelFiles`. */
function placeOf(paths: LlmPaths, file: string): DefaultModelPlace {
  const i = paths.defaultModelFiles.indexOf(file);
  return i === 0 ? 'trained' : i === 1 ? 'shipped' : 'checkout';
}

/** The first existing dialogos-mini, or null. */
export function locateDefaultModel(paths: LlmPaths, exists: (f: string) => boolean = existsSync): FoundDefaultModel | null {
  const file = paths.defaultModelFiles.find((f) => exists(f));
  return file ? { file, place: placeOf(paths, file) } : null;
}

/**
 * The dialogos-mini GGUF to use: a trained one (<state>/train) over the shipped one (/dialogos/models, or
 * the checkout's models/ and build/work/ on a build host).
 * @throws DefaultModelMissingError naming every place looked at
 */
export function findDefaultModel(paths: LlmPaths, exists: (f: string) => boolean = existsSync): FoundDefaultModel {
  const found = locateDefaultModel(paths, exists);
  if (!found) throw new DefaultModelMissingError(paths.defaultModelFiles);
  return found;
}
