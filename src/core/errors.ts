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
