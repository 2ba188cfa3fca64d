// The narrow OS interfaces the service controllers use. Each has a real implementation and an in-memory
// one; the compliance suites hold the shared behaviour both must show.

export interface Clock {
  now(): number;
  /** Resolves after `ms` or when `signal` aborts, whichever comes first; never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export type SpawnResult =
  | { kind: 'exit'; code: number; stderrTail: string }
  | { kind: 'signal'; signal: string }
  | { kind: 'timeout' }
  | { kind: 'error'; message: string };

export interface Spawner {
  run(argv: string[], timeoutMs: number, signal?: AbortSignal): Promise<SpawnResult>;
}

export type Stream = 'stdout' | 'stderr';

/** Where one process's stream goes (the journal's line sink): exact bytes in, then the end. */
export interface OutputSink {
  write(chunk: Uint8Array): void;
  end(): void;
}

export interface SpawnRequest {
  /** The unit, for messages and the output sink. */
  unit: string;
  command: string;
  args: string[];
  /** The complete environment of the child (nothing is inherited implicitly). */
  env: Record<string, string>;
  cwd?: string;
  uid?: number;
  gid?: number;
  /**
   * cgroup.procs files the child writes itself into before it execs the command, so that limits hold
   * from its first instruction (moving it after spawn would leave a window for a fast memory hog).
   */
  cgroupProcs?: string[];
  /**
   * The child's output bytes exactly as they came, in chunks split anywhere (lines, UTF-8 characters):
   * splitting into lines and making binary safe is the journal sink's job, so nothing is lost or altered.
   */
  onOutput?(stream: Stream, chunk: Uint8Array): void;
  /** The stream reached its end (every process holding it closed it): the last line may lack a newline. */
  onOutputEnd?(stream: Stream): void;
}

export interface ExitInfo {
  /** Null when killed by a signal, or when the exit status is unknown (an adopted process). */
  code: number | null;
  signal: string | null;
}

export interface ProcessHandle {
  pid: number;
  /** The kernel's start time of the process (/proc/<pid>/stat field 22), which tells a reused pid apart. */
  startTime: string;
  /** Resolves once the process has exited (it never rejects). */
  exited: Promise<ExitInfo>;
  /** Signals the whole process group (the child leads a group of its own). */
  killGroup(signal: NodeJS.Signals): void;
}

export interface ProcessRunner {
  /**
   * Starts a process as the leader of a new process group.
   * @throws ProcessSpawnError when it cannot start (no such command, no permission, bad cwd)
   */
  spawn(req: SpawnRequest): Promise<ProcessHandle>;
  /** The start time of a live pid, or null when there is no such process. */
  startTime(pid: number): Promise<string | null>;
  /** A handle on a process that is not our child (left by a previous dialogosd), if it is alive and `startTime` matches. */
  adopt(pid: number, startTime: string): Promise<ProcessHandle | null>;
  /** Pids of live processes in process group `pgid` (zombies excluded). */
  groupMembers(pgid: number): Promise<number[]>;
  /** Signals a process group by id; a group that no longer exists is fine. */
  killGroup(pgid: number, signal: NodeJS.Signals): void;
}

export interface CgroupLimits {
  /** cgroup v2 `cpu.max` ("quota period" or "max quota"), already converted from a CPU fraction. */
  cpuMax?: string;
  memoryBytes?: number;
  pids?: number;
}

/** What a cgroup implementation could apply: each limit asked for is either applied or said why not. */
export interface AppliedLimits {
  /** 'cgroup v2', 'cgroup v1 (memory cpu pids)' (the v1 controllers found), 'memory (in-memory)', 'none'. */
  mode: string;
  applied: CgroupLimits;
  /** Limits asked for that could not be applied, each with the reason. */
  unsupported: { limit: keyof CgroupLimits; reason: string }[];
}

/** What a unit's group has used so far; null where this hierarchy does not count it. */
export interface CgroupUsage {
  /** CPU time (user + system) of every process that ran in the group. */
  cpuMs: number | null;
  /** The group's peak memory (v1 memory.max_usage_in_bytes, v2 memory.peak). */
  peakMemoryBytes: number | null;
  /** How many forks the pids limit refused (pids.events `max`). */
  pidsLimitHits: number | null;
}

export interface Cgroups {
  /** Says what this implementation can do here, e.g. `cgroup v2 at /sys/fs/cgroup/dialogos (cpu memory pids)`. */
  readonly description: string;
  /** Whether `create` can work at all; when false, `reason` says why. */
  readonly available: boolean;
  readonly reason?: string;
  /** The limits it can apply here: a subset of cpu, memory, pids. */
  readonly controllers: readonly string[];
  /**
   * Creates (or reuses) the unit's group and writes its limits; returns the procs files a child joins.
   * @throws CgroupError when the group cannot be made
   */
  create(unit: string, limits: CgroupLimits): Promise<{ procs: string[]; limits: AppliedLimits }>;
  /** Moves a live pid into the unit's group. @throws CgroupError */
  attach(unit: string, pid: number): Promise<void>;
  /** Pids in the unit's group (empty when there is no group). */
  procs(unit: string): Promise<number[]>;
  /** How many times the kernel's OOM killer killed a process in the unit's group so far. */
  oomKills(unit: string): Promise<number>;
  /** The group's usage counters (absent on implementations that count nothing). */
  usage?(unit: string): Promise<CgroupUsage>;
  /** Kills every process in the group (cgroup.kill on v2; signals each pid elsewhere). */
  killAll(unit: string): Promise<void>;
  /** Removes the unit's group once empty; a missing group is fine. @throws CgroupError when it still has processes */
  remove(unit: string): Promise<void>;
}

/** The probes readiness checks use, injectable so that gating is tested without sockets. */
export interface Probes {
  fileExists(path: string): Promise<boolean>;
  /** True when a TCP connection to host:port, or a unix socket connection to path, is accepted. */
  connects(target: { host: string; port: number } | { path: string }, timeoutMs: number): Promise<boolean>;
}

/** Converts the spec's CPU value: a fraction of one CPU becomes `quota period` with a 100 ms period. */
export function cpuMax(cpu: number | string | undefined): string | undefined {
  if (cpu === undefined) return undefined;
  if (typeof cpu === 'string') return cpu.includes(' ') ? cpu : `${cpu} 100000`;
  return `${Math.max(1000, Math.round(cpu * 100_000))} 100000`;
}
