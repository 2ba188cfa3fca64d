// Messages between the service and a model worker (one child process per loaded model), sent over the
// fork IPC channel as JSON. The worker never decides policy: limits, queueing and API shapes live in the parent.

export interface LoadRequest {
  type: 'load';
  modelPath: string;
  contextSize: number;
  sequences: number;
  threads: number;
  /** false = CPU (default); 'vulkan' | 'cuda' only when configured and present; 'auto' = a real GPU if any, never a software one. */
  gpu: GpuChoice;
  /** Only inspect the file and load it (model add): no context. */
  verifyOnly?: boolean;
}

export type GpuChoice = false | 'vulkan' | 'cuda' | 'auto';

export interface ModelInfo {
  /** The back end llama.cpp runs on. */
  backend: string;
  architecture: string;
  contextSize: number;
  trainContextSize: number;
  embeddingLength: number;
  layers: number;
  vocabSize: number;
  parameters: number | null;
  hasChatTemplate: boolean;
  sizeBytes: number;
}

export interface ChatMessageIn { role: 'system' | 'user' | 'assistant' | 'tool'; content: string }

export type GrammarSpec = { kind: 'json' } | { kind: 'json-schema'; schema: unknown };

export interface GenerateRequest {
  type: 'generate';
  id: number;
  prompt: { kind: 'text'; text: string } | { kind: 'chat'; messages: ChatMessageIn[] };
  /** null = as many as the context leaves; 0 = none (only scoring the prompt, with logprobs.echo). */
  maxTokens: number | null;
  temperature: number;
  topP: number;
  seed?: number;
  stop: string[];
  grammar?: GrammarSpec;
  /** OpenAI's penalties: logit -= frequency × count + presence × (count > 0), over the generated tokens. */
  penalties?: { frequency: number; presence: number };
  /** Token id → bias added to its logit (OpenAI's logit_bias, in this model's vocabulary). */
  logitBias?: Record<string, number>;
  /** Log-probabilities of the generated tokens (and with echo of the prompt's), each with `top` alternatives. */
  logprobs?: { top: number; echo: boolean };
}

/** One token's log-probability under the model (temperature 1, before sampling settings and grammar). */
export interface TokenLogprob {
  token: string;
  /** UTF-8 bytes of `token` (a token holding part of a character shows as U+FFFD). */
  bytes: number[];
  /** null for the first token of the context (nothing to condition on). */
  logprob: number | null;
  /** The `top` most likely tokens at this position, most likely first. */
  top: { token: string; bytes: number[]; logprob: number }[];
}

export interface EmbedRequest { type: 'embed'; id: number; inputs: string[] }
export interface CancelRequest { type: 'cancel'; id: number }
export type ToWorker = LoadRequest | GenerateRequest | EmbedRequest | CancelRequest;

export type FinishReason = 'stop' | 'length';

export type FromWorker =
  | { type: 'ready'; info: ModelInfo }
  | { type: 'load-error'; message: string }
  | { type: 'start'; id: number; promptTokens: number; maxTokens: number }
  | { type: 'chunk'; id: number; text: string }
  | { type: 'done'; id: number; completionTokens: number; finish: FinishReason; text: string; logprobs?: { prompt: TokenLogprob[]; completion: TokenLogprob[] } }
  | { type: 'embeddings'; id: number; vectors: number[][]; promptTokens: number }
  | { type: 'error'; id: number; code: WorkerErrorCode; message: string; completionTokens?: number };

export type WorkerErrorCode = 'context_length_exceeded' | 'invalid_schema' | 'invalid_logit_bias' | 'cancelled' | 'internal';
