// One error class per failure kind of the trainer; callers test `err.name`.

/** The source tree gives no usable corpus. */
export class CorpusError extends Error {
  override name = 'CorpusError';
}

/** A recipe file is missing or invalid. */
export class RecipeError extends Error {
  override name = 'RecipeError';
}

/** A checkpoint cannot be read or does not match the recipe. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** A GGUF file is malformed or not a model this trainer can read. */
export class GgufFormatError extends Error {
  override name = 'GgufFormatError';
}

/** The runtime (llama.cpp through node-llama-cpp) failed or crashed on a model. */
export class RuntimeCheckError extends Error {
  override name = 'RuntimeCheckError';
}

/** A model file is missing or unreadable. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
}
