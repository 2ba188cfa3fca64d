// Test-only: the one way a test says what it needs from the host, so that a skip cannot hide a test that
// should have run. On a strict host (DIALOGOS_TEST_STRICT=1: `dialogos test` sets it under CI=true or as
// root, unless set by hand) a missing prerequisite that such a host is expected to have fails the test;
// elsewhere it is a skip with its reason, counted and listed by `dialogos test`.
//
// Expected on a strict host: root, Linux, and what the README's test command installs (HOST_PACKAGES: qemu,
// e2fsprogs, busybox, util-linux, a kernel, ...), a memory cgroup, the build itself. Not expected, and so
// always a plain skip: a GPU, a particular cgroup layout (v1 or v2) among those a host may have.
//
// DIALOGOS_TEST_PRETEND_MISSING=<what>[,<what>...] (or "*") makes those prerequisites look missing, to see
// a site skip (lenient) or fail (strict) on a host that has them.
//
// Nothing in the shipped tree may import this (src/testkit/ is for tests).

/** A prerequisite of a test is missing on a host where it is expected. */
export class MissingPrerequisiteError extends Error {
  override name = 'MissingPrerequisiteError';
}

export interface PrerequisiteOptions {
  /** False for what a strict host need not have (a GPU): then it is a skip even in strict mode. Default true. */
  expected?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Whether missing prerequisites fail (DIALOGOS_TEST_STRICT=1). */
export function strictHost(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.DIALOGOS_TEST_STRICT === '1';
}

function pretendMissing(what: string, env: NodeJS.ProcessEnv): boolean {
  const names = (env.DIALOGOS_TEST_PRETEND_MISSING ?? '').split(',').map((x) => x.trim());
  return names.includes('*') || names.includes(what);
}

/**
 * The skip reason for a test that needs `what`, or false when the host has it (`ok`).
 * For `{ skip: prerequisite(...) }` or a fixture's "not available" reason.
 *
 * @throws {MissingPrerequisiteError} when `what` is missing, expected, and the host is strict
 * @example test('boots', { skip: prerequisite('qemu-system-x86_64', hasQemu) }, async () => { ... })
 */
export function prerequisite(what: string, ok: boolean, reason = `needs ${what}`, o: PrerequisiteOptions = {}): string | false {
  const env = o.env ?? process.env;
  if (ok && !pretendMissing(what, env)) return false;
  if ((o.expected ?? true) && strictHost(env)) {
    throw new MissingPrerequisiteError(`Cannot run the test: prerequisite "${what}" is missing on a strict host (DIALOGOS_TEST_STRICT=1): ${reason}`);
  }
  return reason;
}

/** What a test context must offer to be skipped (node:test's TestContext does). */
export interface Skippable {
  skip(message?: string): void;
}

/**
 * Inside a test: skips it and returns true when `what` is missing (the caller returns), false when present.
 *
 * @throws {MissingPrerequisiteError} when `what` is missing, expected, and the host is strict: the test fails
 * @example if (requireHost(t, 'mkfs.ext4', !mkfs.error, 'mkfs.ext4 is not installed')) return;
 */
export function requireHost(t: Skippable, what: string, ok: boolean, reason?: string, o: PrerequisiteOptions = {}): boolean {
  const why = prerequisite(what, ok, reason, o);
  if (why === false) return false;
  t.skip(why);
  return true;
}
