// Test-only: what the sandbox's tests share. A parent tree in a temp folder with a C probe in it (ptrace,
// process_vm_readv, mount, unshare, clone into a namespace: each prints "name: ok" or its errno in words),
// the jail built from native/jail.c, and a runner whose state lives in the temp folder.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildJail, createSandboxRunner, type SandboxOptions } from '../../evolve/sandbox/index.js';
import type { RunRequest, RunResult, Runner, SandboxLimits } from '../../evolve/types.js';
import type { FileChange } from '../../evolve/candidate.js';
import { prerequisite } from '../prerequisite.js';

export const PROBE_C = String.raw`#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
static void report(const char *what, long r) { printf("%s: %s\n", what, r == -1 ? strerror(errno) : "ok"); fflush(stdout); }
int main(int argc, char **argv) {
  const char *m = argc > 1 ? argv[1] : "";
  if (!strcmp(m, "ptrace")) {
    pid_t target = argc > 2 ? atoi(argv[2]) : 0, c = 0;
    if (!target) { c = fork(); if (c == 0) { pause(); _exit(0); } target = c; }
    report("ptrace", ptrace(PTRACE_ATTACH, target, 0, 0));
    char buf[8] = {0}, there[8];
    struct iovec l = { there, 8 }, r = { buf, 8 };
    report("process_vm_readv", process_vm_readv(target, &l, 1, &r, 1, 0));
    if (c) kill(c, SIGKILL);
  } else if (!strcmp(m, "mount")) {
    report("mount", mount("none", "/tmp", "tmpfs", 0, 0));
  } else if (!strcmp(m, "unshare")) {
    report("unshare", unshare(CLONE_NEWUSER));
  } else if (!strcmp(m, "io_uring")) {
    char params[120] = {0};
    long fd = syscall(SYS_io_uring_setup, 4, params);
    report("io_uring", fd);
  } else if (!strcmp(m, "clone")) {
    long r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
    if (r == 0) _exit(0);
    report("clone", r);
  }
  return 0;
}
`;

const isRoot = process.getuid?.() === 0;
const hasOverlay = (): boolean => { try { return /\toverlay$/m.test(readFileSync('/proc/filesystems', 'utf8')); } catch { return false; } };
const hasGcc = spawnSync('sh', ['-c', 'command -v gcc'], { stdio: 'ignore' }).status === 0;

/** The skip reason when this host cannot run the sandbox's tests, else false (strict hosts fail). */
export function sandboxMissing(): string | false {
  return prerequisite('root', isRoot, 'not root: the sandbox mounts an overlay and makes namespaces')
    || prerequisite('overlayfs', hasOverlay(), 'no overlay in /proc/filesystems')
    || prerequisite('gcc', hasGcc, 'no gcc to build the jail and the probe');
}

export const LIMITS: SandboxLimits = { wallMs: 15_000, memoryBytes: 256 << 20, pids: 64, fileBytes: 8 << 20, tmpBytes: 16 << 20 };

export type RunExtra = Omit<Partial<RunRequest>, 'limits'> & { limits?: Partial<SandboxLimits>; changes?: FileChange[] };

export interface SandboxKit {
  dir: string;
  lower: string;
  jail: string;
  /** The probe's path relative to the tree. */
  probe: string;
  state: string;
  runner: Runner;
  /** Runs argv with LIMITS and PATH only, overriding what `extra` gives. */
  run(argv: string[], extra?: RunExtra): Promise<RunResult>;
  /** Every regular file of the lower tree with its bytes, to compare before and after. */
  snapshot(): Map<string, string>;
  close(): void;
}

export async function sandboxKit(opts: Partial<SandboxOptions> = {}): Promise<SandboxKit> {
  const dir = mkdtempSync(join(tmpdir(), 'dialogos-sandbox-'));
  chmodSync(dir, 0o755); // the jail tests run the probe as uid 65534 straight from the lower tree
  const lower = join(dir, 'lower');
  mkdirSync(join(lower, 'src', 'x'), { recursive: true });
  writeFileSync(join(lower, 'src', 'x', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(lower, 'src', 'x', 'gone.ts'), 'export const gone = true;\n');
  writeFileSync(join(dir, 'probe.c'), PROBE_C);
  mkdirSync(join(lower, 'bin'));
  writeFileSync(join(lower, 'bin', 'hello.sh'), '#!/bin/sh\necho parent\n', { mode: 0o755 });
  execFileSync('gcc', ['-O1', '-o', join(lower, 'bin', 'probe'), join(dir, 'probe.c')]);
  const jail = await buildJail(join(dir, 'native'));
  const state = join(dir, 'state');
  const runner = createSandboxRunner({ jail, stateDir: state, ...opts });
  const snapshot = (): Map<string, string> => {
    const out = new Map<string, string>();
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else out.set(p, readFileSync(p, 'latin1'));
      }
    };
    walk(lower);
    return out;
  };
  return {
    dir, lower, jail, probe: 'bin/probe', state, runner, snapshot,
    run: (argv, extra = {}) => runner.run({
      tree: { lower, changes: extra.changes ?? [] }, argv, env: { PATH: '/usr/bin:/bin' }, ...extra,
      limits: { ...LIMITS, ...extra.limits },
    }),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Host pids whose command line contains `marker` (the run's processes as the host sees them). */
export function hostPidsWith(marker: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(marker)) out.push(Number(e));
    } catch {
      // Gone meanwhile.
    }
  }
  return out.filter((p) => p !== process.pid);
}
