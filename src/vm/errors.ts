// Errors of the VM runner: one class per failure kind, so callers and tests can check `err.name`.

/** QEMU could not be started (binary missing, bad arguments, firmware not found). */
export class VmStartError extends Error {
  override name = 'VmStartError';
}

/** A console marker did not appear within its time limit. The message names the marker and the console tail. */
export class VmTimeoutError extends Error {
  override name = 'VmTimeoutError';
  constructor(message: string, readonly marker: string, readonly consoleTail: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** QEMU exited while a caller still waited for a console marker. */
export class VmExitedError extends Error {
  override name = 'VmExitedError';
  constructor(message: string, readonly marker: string, readonly consoleTail: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** A Debian package the command needs is missing and cannot be installed here. */
export class MissingPackagesError extends Error {
  override name = 'MissingPackagesError';
  constructor(message: string, readonly packages: string[], options?: ErrorOptions) {
    super(message, options);
  }
}

/** `accel: 'kvm'` was asked for but KVM does not work on this host. */
export class KvmUnavailableError extends Error {
  override name = 'KvmUnavailableError';
}
