// One error class per way the boot stage can fail; callers test `err.name`, and the console shows `message`.

/** The data partition did not appear within the wait limit. */
export class DataPartitionNotFoundError extends Error {
  override name = 'DataPartitionNotFoundError';
}

/** A mount, bind, move or tmpfs step failed (busybox mount's own words are in the message). */
export class MountError extends Error {
  override name = 'MountError';
}

/** The generation's manifest asks for something the boot stage will not hand over (bad path, NUL byte). */
export class HandoverError extends Error {
  override name = 'HandoverError';
}

/** The kexec helper returned, which means it did not jump. */
export class KexecError extends Error {
  override name = 'KexecError';
}

/** No generation in the store could be selected and verified. */
export class NothingBootableError extends Error {
  override name = 'NothingBootableError';
}

/** The boot stage was built without a store binding (the composition root must supply one). */
export class BootStoreUnboundError extends Error {
  override name = 'BootStoreUnboundError';
}

/** Text of any thrown value, for one console line. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
