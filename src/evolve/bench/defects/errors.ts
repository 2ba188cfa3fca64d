// Failures of the seeded-defect benchmark's driver, one class per kind.
export class PairingError extends Error {
  override name = 'PairingError';
}

export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}
