// Error classes of the image builder: one per failure kind, each with a stable `name` and a native `cause`.

/** A host tool (mkfs.ext4, objcopy, sgdisk, …) exited non-zero or could not be started. */
export class ToolError extends Error {
  override name = 'ToolError';
  constructor(
    readonly tool: string,
    readonly args: readonly string[],
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot run "${tool} ${args.join(' ')}": ${stderr.trim().split('\n').slice(-3).join(' / ') || 'failed'}`, options);
  }
}

/** esbuild refused a bundle (an import it cannot resolve, a syntax error): the message names file and line. */
export class BundleError extends Error {
  override name = 'BundleError';
}

/** An input the image needs (kernel, stub, native binaries, stage entry) is missing or unusable. */
export class ImageInputError extends Error {
  override name = 'ImageInputError';
}

/** A disk image does not have the layout the builder writes (no GPT, missing partition). */
export class DiskLayoutError extends Error {
  override name = 'DiskLayoutError';
}

/** A path inside a filesystem image could not be read or written. */
export class ImageFsError extends Error {
  override name = 'ImageFsError';
  /** errno-style code so callers written against node:fs (ENOENT, EEXIST) keep working. */
  constructor(message: string, readonly code: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
