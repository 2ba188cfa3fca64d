// One error class per way the dialog can fail; callers test `err.name`.

/** The code index cannot answer (no source, a query it does not support). */
export class CodeUnavailableError extends Error {
  override name = 'CodeUnavailableError';
}

/** The language model endpoint failed or answered something unusable. */
export class ModelError extends Error {
  override name = 'ModelError';
}

/** A tool call's arguments do not match the tool's schema, or the tool does not exist. */
export class ToolArgumentsError extends Error {
  override name = 'ToolArgumentsError';
}

/** A state-changing tool was asked to run without a confirmation. */
export class NotConfirmedError extends Error {
  override name = 'NotConfirmedError';
}

/** The operating system side (dialogosd, the gen CLI, a test run) failed. */
export class OsToolError extends Error {
  override name = 'OsToolError';
}
