// Progress output of a build: one line per step with the step's and the total elapsed time.

export interface Progress {
  /** Runs `fn` as a named step and prints one line when it ends. */
  step<T>(name: string, fn: () => Promise<T>, detail?: (result: T) => string): Promise<T>;
  note(line: string): void;
}

export function createProgress(write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Progress {
  const start = performance.now();
  const secs = (ms: number) => (ms / 1000).toFixed(1) + 's';
  return {
    async step(name, fn, detail) {
      const t0 = performance.now();
      const result = await fn();
      const extra = detail ? ` ${detail(result)}` : '';
      write(`image: ${name.padEnd(28)} ${secs(performance.now() - t0).padStart(7)} (total ${secs(performance.now() - start)})${extra}`);
      return result;
    },
    note(line) { write(`image: ${line}`); },
  };
}

/** Human size, e.g. "31.2 MiB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
