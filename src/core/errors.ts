// Named errors of dialogosd: callers and tests match on `name`, people read `message`.

/** No source names the booted generation, or the one found breaks the handover format (src/gen/handover.ts). */
export class HandoverReadError extends Error {
  override name = 'HandoverReadError';
}

/** The booted generation's manifest cannot be read, or its health section is malformed. */
export class ManifestHealthError extends Error {
  override name = 'ManifestHealthError';
}

export class EfiVarError extends Error {
  override name = 'EfiVarError';
}

export class BootCountNameError extends Error {
  override name = 'BootCountNameError';
}

export class EspNotFoundError extends Error {
  override name = 'EspNotFoundError';
}

export class UkiBlessError extends Error {
  override name = 'UkiBlessError';
}

export class MachineKeyError extends Error {
  override name = 'MachineKeyError';
}

export class PowerRequestError extends Error {
  override name = 'PowerRequestError';
}

export class StoreNotBoundError extends Error {
  override name = 'StoreNotBoundError';
}

/** A part of a composed system needs one that the system does not have. */
export class UnmetDependencyError extends Error {
  override name = 'UnmetDependencyError';
}

/** The parts of a composed system need each other in a circle. */
export class DependencyCycleError extends Error {
  override name = 'DependencyCycleError';
}

/** A part asked for a part it did not declare: it may use only what it declares. */
export class UndeclaredPartError extends Error {
  override name = 'UndeclaredPartError';
}

/** A part failed to make or start; `cause` is its error, `part` its name. */
export class PartStartError extends Error {
  override name = 'PartStartError';
  constructor(readonly part: string, cause: unknown) {
    super(`Cannot start "${part}": ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** dialogosd cannot go on and ends with exit status 1: the message says why (also journaled as the stop reason). */
export class DaemonAbortError extends Error {
  override name = 'DaemonAbortError';
}
