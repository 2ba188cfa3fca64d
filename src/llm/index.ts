// Public face of src/llm: the embedded LLM service (OpenAI-compatible API over llama.cpp workers), its model
// store, and the helpers the CLI and other subsystems use to find and talk to it.
export { startLlmService, readEndpoint, DEFAULTS as LLM_DEFAULTS, ServiceStartError, type ServeOptions, type RunningService } from './service.js';
export { llmPaths, repoModelsDir, type LlmPaths } from './paths.js';
export { ModelStore, sha256File, NAME_RE, type StoredModel, type VerifyLoad } from './store.js';
export { workerVerifier } from './verify.js';
export { resolveWorkerPath, ModelWorker } from './worker-client.js';
export { benchModel, type ModelBenchResult } from './bench/model-bench.js';
export { loadRemotes, RemoteConfigError, type RemoteModel } from './remote.js';
export type { Capabilities, ModelEntry } from './registry.js';
export * from './errors.js';
export { llmServiceSpec, type LlmSpecOptions } from './spec.js';
export { DEFAULT_MODEL } from './paths.js';
export { findDefaultModel, locateDefaultModel, DefaultModelMissingError, HOW_TO_GET as DEFAULT_MODEL_HOW_TO_GET, type FoundDefaultModel, type DefaultModelPlace } from './default-model.js';
