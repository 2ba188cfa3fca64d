// Failure kinds of fault localisation (callers test `err.name`).

/** A test named for localisation could not be run, or ran no test at all. */
export class LocaliseRunError extends Error {
  override readonly name = 'LocaliseRunError';
}
