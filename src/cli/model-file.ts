// Which GGUF the scoring verbs (`model score`, `eval`, `rank`) use: --model FILE, else dialogos-mini where
// it is found (a trained one in <state>/train first, then the shipped one: /dialogos/models in the OS, the
// checkout's models/ or build/work/ on a build host). One answer, the same the llm service serves.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_MODEL, DefaultModelMissingError, findDefaultModel, llmPaths, type DefaultModelPlace } from '../llm/index.js';

export interface ModelFileOptions { model?: string; state?: string }

export interface ModelFile { file: string; place: DefaultModelPlace | 'given' }

/**
 * The model file for a scoring verb; `name` other than dialogos-mini (another recipe) is looked for in
 * <state>/train only.
 * @throws DefaultModelMissingError naming every place looked at
 */
export function modelFileFor(o: ModelFileOptions, env: NodeJS.ProcessEnv, name: string = DEFAULT_MODEL): ModelFile {
  if (o.model) return { file: resolve(o.model), place: 'given' };
  const paths = llmPaths(o.state, env);
  if (name === DEFAULT_MODEL) return findDefaultModel(paths);
  const file = resolve(paths.trainDir, `${name}.gguf`);
  if (!existsSync(file)) throw new DefaultModelMissingError([file], name);
  return { file, place: 'trained' };
}

export { DefaultModelMissingError };
