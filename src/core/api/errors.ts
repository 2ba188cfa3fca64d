// Named errors of the API: each carries the HTTP status it answers with. Callers test `name`.

export class ApiError extends Error {
  constructor(readonly status: number, message: string, options?: ErrorOptions & { details?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    if (options?.details !== undefined) this.details = options.details;
  }
  details?: unknown;
}
/** Malformed JSON, wrong types, unknown query parameters. */
export class BadRequestError extends ApiError {
  constructor(message: string, o?: ErrorOptions & { details?: unknown }) { super(400, message, o); }
}
export class UnauthorizedError extends ApiError {
  constructor(message: string) { super(401, message); }
}
export class NotFoundError extends ApiError {
  constructor(message: string) { super(404, message); }
}
export class MethodNotAllowedError extends ApiError {
  constructor(message: string, readonly allow: string[]) { super(405, message); }
}
export class PayloadTooLargeError extends ApiError {
  constructor(message: string) { super(413, message); }
}
export class UnsupportedMediaTypeError extends ApiError {
  constructor(message: string) { super(415, message); }
}
/** The part of dialogosd a route needs is not there (no journal, no store bound). */
export class UnavailableError extends ApiError {
  constructor(message: string) { super(503, message); }
}

/** What the client raises for an error answer: the server's name and message, and the HTTP status. */
export class ApiResponseError extends Error {
  constructor(readonly status: number, readonly remoteName: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'ApiResponseError';
  }
}
/** No dialogosd answers on the socket (not running, stale socket, permission). */
export class DaemonUnreachableError extends Error {
  override name = 'DaemonUnreachableError';
}
