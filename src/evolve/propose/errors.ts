// Failure kinds of the proposers (callers test `err.name`).

/** The chat model's API could not be reached or answered with an HTTP error. */
export class ChatRequestError extends Error {
  override readonly name = 'ChatRequestError';
}
