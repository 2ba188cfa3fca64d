// The narrow OS interface of the boot stage: everything it does to files, devices, processes, the console
// and the clock goes through here, so the stage's logic runs in unit tests against an in-memory fake.

export interface RunResult {
  /** Exit status, or null when killed by a signal or not started. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started (ENOENT, EACCES). */
  error?: Error;
}

export interface KeyReader {
  /** One key, or null after `timeoutMs`. */
  read(timeoutMs: number): Promise<string | null>;
  /** Restores the console's previous settings. */
  close(): void;
}

export interface BootPlatform {
  /** Whole file; throws the fs error (ENOENT, EIO) as is. */
  readFile(path: string): Buffer;
  /** `length` bytes at `offset`, or null when the file cannot be opened or is too short. */
  readAt(path: string, offset: number, length: number): Buffer | null;
  writeFile(path: string, data: string | Uint8Array): void;
  /** mkdir -p */
  mkdir(path: string): void;
  /** Entry names, or [] when the directory does not exist. */
  listDir(path: string): string[];
  exists(path: string): boolean;
  /** Runs a program to completion without a shell (mount, modprobe, kexec). */
  run(argv: string[]): RunResult;
  /** One line on the console. */
  print(line: string): void;
  /**
   * Puts the console in key-at-a-time mode without echo until `close()`; null when the console is no
   * terminal. Opened before the menu is printed, so a key pressed at once is neither echoed nor lost.
   */
  openKeys(): KeyReader | null;
  /** Milliseconds on a monotonic clock. */
  now(): number;
  sleep(ms: number): Promise<void>;
  env(name: string): string | undefined;
}

/** Where the initramfs keeps the programs the stage runs (docs/ARCHITECTURE.md, initramfs section). */
export const TOOLS = {
  busybox: '/bin/busybox',
  modprobe: '/sbin/modprobe',
  kexec: '/usr/lib/dialogos/kexec',
  node: '/usr/bin/node',
} as const;
