// Named errors of the generation store: callers test `err.name`, people read `err.message`.
// One class per failure kind, so the boot stage can tell a corrupt generation (mark it bad) from a
// missing one (state drift) from a trust problem (fix the key, do not condemn the generation).

/** Base of every error this subsystem throws on purpose. */
export class GenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class SimulatedCrashError extends GenError {}
export class FsError extends GenError {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
export class CanonicalJsonError extends GenError {}
export class ManifestInvalidError extends GenError {
  constructor(message: string, readonly field: string = '', options?: { cause?: unknown }) {
    super(message, options);
  }
}
export class GenerationIdInvalidError extends GenError {}
/** A handover file or record (src/gen/handover.ts) that breaks the format: written or read. */
export class HandoverFormatError extends GenError {}
export class TrustInvalidError extends GenError {}
export class UnsignedGenerationError extends GenError {}
export class SignatureInvalidError extends GenError {}
export class UntrustedKeyError extends GenError {}
export class GenerationCorruptError extends GenError {}
export class GenerationMissingError extends GenError {}
export class GenerationExistsError extends GenError {}
export class StateCorruptError extends GenError {}
export class StoreLockedError extends GenError {}
export class BelowFloorError extends GenError {}
export class GenerationBadError extends GenError {}
export class NoRollbackTargetError extends GenError {}
export class InvalidOperationError extends GenError {}
export class NoBootableGenerationError extends GenError {
  constructor(message: string, readonly fallbacks: { id: string; reason: string }[]) {
    super(message);
  }
}

/** Verification failures after which the generation can never boot: the boot stage marks it bad. */
export const PERMANENT_FAILURES: ReadonlySet<string> = new Set([
  'GenerationCorruptError',
  'SignatureInvalidError',
  'UnsignedGenerationError',
  'ManifestInvalidError',
]);

/** True when `err` is one of this subsystem's named errors. */
export function isGenError(err: unknown): err is GenError {
  return err instanceof GenError;
}

/** True for "no such file" from either file system implementation. */
export function isNotFound(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'ENOENT';
}
