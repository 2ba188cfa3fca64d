// One error class per failure kind of the llm subsystem. `status`, `type` and `code` say how the API answers.

export abstract class LlmError extends Error {
  abstract readonly status: number;
  readonly type: string = 'invalid_request_error';
  readonly code: string | null = null;
  readonly param: string | null = null;
  constructor(message: string, options?: { cause?: unknown }) { super(message, options); }
}

/** A request the API refuses as OpenAI's `invalid_request_error` (400): bad JSON, fields, schemas, tool choice. */
export class InvalidRequestError extends LlmError {
  override name = 'InvalidRequestError';
  readonly status = 400;
  override readonly code: string | null;
  override readonly param: string | null;
  constructor(message: string, o: { code?: string; param?: string | null; cause?: unknown } = {}) {
    super(message, { cause: o.cause });
    this.code = o.code ?? null;
    this.param = o.param ?? null;
  }
}

export class ContextLengthError extends LlmError {
  override name = 'ContextLengthError';
  readonly status = 400;
  override readonly code = 'context_length_exceeded';
  override readonly param = 'messages';
}

export class ModelNotFoundError extends LlmError {
  override name = 'ModelNotFoundError';
  readonly status = 404;
  override readonly code = 'model_not_found';
  override readonly param = 'model';
  constructor(readonly model: string, known: string[]) {
    super(`The model "${model}" does not exist; available: ${known.length ? known.map((k) => `"${k}"`).join(', ') : 'none'} (add one with \`dialogos model add FILE\`)`);
  }
}

/** The model's worker died (SIGABRT inside llama.cpp, OOM kill): the model's fault, not the service's. */
export class ModelCrashedError extends LlmError {
  override name = 'ModelCrashedError';
  readonly status = 500;
  override readonly type = 'server_error';
  override readonly code = 'model_crashed';
}

/** The worker reported a failure of a request (not a crash): node-llama-cpp threw while generating. */
export class ModelRuntimeError extends LlmError {
  override name = 'ModelRuntimeError';
  readonly status = 500;
  override readonly type = 'server_error';
  override readonly code = 'model_error';
}

/** The model cannot be loaded (bad file, failed before, does not fit the memory budget). */
export class ModelLoadError extends LlmError {
  override name = 'ModelLoadError';
  readonly status = 503;
  override readonly type = 'server_error';
  override readonly code = 'model_unavailable';
}

export class QueueFullError extends LlmError {
  override name = 'QueueFullError';
  readonly status = 429;
  override readonly type = 'rate_limit_error';
  override readonly code = 'queue_full';
  constructor(message: string, readonly retryAfterSeconds: number) { super(message); }
}

export class RequestTimeoutError extends LlmError {
  override name = 'RequestTimeoutError';
  readonly status = 504;
  override readonly type = 'server_error';
  override readonly code = 'timeout';
}

export class CancelledError extends LlmError {
  override name = 'CancelledError';
  readonly status = 499;
  override readonly code = 'cancelled';
}

export class AuthError extends LlmError {
  override name = 'AuthError';
  readonly status = 401;
  override readonly code = 'invalid_api_key';
}

export class UpstreamError extends LlmError {
  override name = 'UpstreamError';
  override readonly type = 'server_error';
  override readonly code = 'upstream_error';
  constructor(message: string, readonly status: number, o: { cause?: unknown } = {}) { super(message, o); }
}

/** Model store failures (CLI): bad file, name taken, unknown name. */
export class ModelStoreError extends Error {
  override name = 'ModelStoreError';
  constructor(message: string, readonly kind: 'invalid' | 'exists' | 'not-found' | 'read-only', options?: { cause?: unknown }) { super(message, options); }
}
