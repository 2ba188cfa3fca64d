// Named errors of the code index: callers test `err.name`, people read `err.message`.

/** Base of every error this subsystem throws on purpose. */
export class MindError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The source root does not exist or is not a directory. */
export class SourceRootError extends MindError {}
/** A path, symbol or module the query named is not in the index. */
export class MindNotFoundError extends MindError {}
/** The persisted index cannot be read or written. */
export class IndexStoreError extends MindError {}
/** The TypeScript compiler API could not be loaded (not shipped, or broken). */
export class CompilerUnavailableError extends MindError {}
/** A query argument is malformed (empty name, bad line range). */
export class MindQueryError extends MindError {}
