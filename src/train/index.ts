// Public face of the train subsystem: dialogos-mini's corpus, tokenizer, trainer, GGUF writer/reader,
// evaluation against an n-gram baseline, and code-aware scoring functions. Imports no other subsystem.
export { CorpusError, RecipeError, CheckpointError, GgufFormatError, RuntimeCheckError, ModelFileError } from './errors.js';
export { loadCorpus, type Corpus, type CorpusFile } from './corpus.js';
export { encode, decode, EOT } from './tokenizer.js';
export { loadRecipe, modelConfig, type Recipe } from './recipe.js';
export { initParams, type ModelConfig } from './model.js';
export { train, trainingTokens, type StepReport, type TrainOptions, type TrainResult } from './trainer.js';
export { progressReporter } from './progress.js';
export { checkpointFile, loadCheckpoint } from './checkpoint.js';
export { modelToGguf, type WeightType } from './gguf/model-gguf.js';
export type { GgufHeader } from './gguf/header.js';
export { checkGguf } from './gguf/header-file.js';
export { encodeGguf } from './gguf/writer.js';
export { TT, type GgufValue, type TensorIn } from './gguf/types.js';
export { Scorer } from './scorer.js';
export { KneserNey } from './ngram.js';
export { evaluate, formatEval, type EvalReport, type Metrics } from './evaluate.js';
export { editRanking, type EditRankingReport } from './edit-ranking.js';
export { lineSurprise, rankCandidates, infill, type LineScore, type RankedCandidate, type InfillResult } from './scoring.js';
export { rankEdits, type EditRankingInput, type RankedEdit } from './scoring-edits.js';
export { trainFromSource, loadScorer, corpusFor, type TrainRunOptions, type TrainRunResult } from './pipeline.js';
export { buildDefaultModel, TRAINER_VERSION, type BuildDefaultModelOptions, type BuildDefaultModelResult } from './default-model.js';
export { probeRuntime, type RuntimeAnswer } from './runtime-probe.js';
export { runningRoot, trainStateDir } from './paths.js';
