// Named errors of dialogosd: callers and tests match on `name`, people read `message`.

export class HandoverError extends Error {
  override name = 'HandoverError';
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
