// The sandbox's failure kinds (callers test `err.name`).

/** The host cannot sandbox a run: not root, no overlayfs, no unshare, no jail, no memory cgroup. */
export class SandboxUnavailableError extends Error {
  override name = 'SandboxUnavailableError';
}

/** A run request the sandbox refuses before starting anything (a path escaping the tree, a bad env key). */
export class SandboxRequestError extends Error {
  override name = 'SandboxRequestError';
}

/** Setting a run up failed after the checks passed (a mount, the cgroup, the overlay's folders). */
export class SandboxSetupError extends Error {
  override name = 'SandboxSetupError';
}
