// Named errors of the service layer: callers and tests match on `name`, people read `message`.

/** One problem found in a spec set: where (file, unit, field path), the value seen, what was expected. */
export interface SpecIssue {
  /** The file the spec came from, when it came from one. */
  file?: string;
  /** `service "web"`, `network`, ... */
  unit?: string;
  /** Dotted field path inside the spec, e.g. `restart.backoff.factor`. */
  path: string;
  message: string;
}

/** A spec set was refused; nothing was applied. `issues` lists every problem, the message the first few. */
export class SpecValidationError extends Error {
  override name = 'SpecValidationError';
  constructor(readonly issues: SpecIssue[], options?: ErrorOptions) {
    super(`Cannot apply specs: ${issues.length} problem${issues.length === 1 ? '' : 's'}: ${issues.slice(0, 5).map(formatIssue).join('; ')}${issues.length > 5 ? '; ...' : ''}`, options);
  }
}

export function formatIssue(i: SpecIssue): string {
  const where = [i.file, i.unit].filter(Boolean).join(': ');
  return `${where ? `${where}: ` : ''}${i.path ? `${i.path}: ` : ''}${i.message}`;
}

/** A spec cannot be removed: it is a generation default, or other units depend on it. */
export class SpecRemoveError extends Error {
  override name = 'SpecRemoveError';
}

/** A spec file could not be read or parsed. */
export class SpecLoadError extends Error {
  override name = 'SpecLoadError';
}

/** An operation named a unit that does not exist, or cannot be done in the unit's state. */
export class UnitNotFoundError extends Error {
  override name = 'UnitNotFoundError';
}

export class ProcessSpawnError extends Error {
  override name = 'ProcessSpawnError';
}

export class CgroupError extends Error {
  override name = 'CgroupError';
}

export class UserLookupError extends Error {
  override name = 'UserLookupError';
}

export class RunStateError extends Error {
  override name = 'RunStateError';
}
