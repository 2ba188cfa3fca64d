// The real BootPlatform: Node's fs and child_process, the console through fd 1, keys from /dev/console.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { BootPlatform, KeyReader, RunResult } from './platform.js';
import { TOOLS } from './platform.js';

const CONSOLE = '/dev/console';

function stty(args: string[]): RunResult {
  return run([TOOLS.busybox, 'stty', '-F', CONSOLE, ...args]);
}

function run(argv: string[]): RunResult {
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd!, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ...(r.error ? { error: r.error } : {}) };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keys from the console. The line discipline is set to non-canonical with VMIN=0 VTIME=0, so a read
 * returns at once with zero or one byte; polling every 25 ms keeps this free of libuv's tty handling,
 * which PID 1's console (no controlling terminal) does not always suit.
 */
function openKeys(): KeyReader | null {
  const saved = stty(['-g']);
  if (saved.status !== 0) return null;
  const restore = (): void => void stty([saved.stdout.trim()]);
  let fd: number;
  try {
    if (stty(['-icanon', '-echo', 'min', '0', 'time', '0']).status !== 0) return (restore(), null);
    fd = fs.openSync(CONSOLE, fs.constants.O_RDONLY | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK);
  } catch {
    restore();
    return null;
  }
  const buf = Buffer.alloc(1);
  return {
    async read(timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (performance.now() < deadline) {
        let n = 0;
        try {
          n = fs.readSync(fd, buf, 0, 1, null);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return null;
        }
        if (n === 1) return buf.toString('latin1');
        await sleep(Math.min(25, Math.max(1, deadline - performance.now())));
      }
      return null;
    },
    close() {
      fs.closeSync(fd);
      restore();
    },
  };
}

export function createNodePlatform(): BootPlatform {
  return {
    readFile: (path) => fs.readFileSync(path),
    readAt(path, offset, length) {
      let fd = -1;
      try {
        fd = fs.openSync(path, 'r');
        const buf = Buffer.alloc(length);
        const n = fs.readSync(fd, buf, 0, length, offset);
        return n === length ? buf : null;
      } catch {
        return null;
      } finally {
        if (fd >= 0) fs.closeSync(fd);
      }
    },
    writeFile: (path, data) => fs.writeFileSync(path, data),
    mkdir: (path) => void fs.mkdirSync(path, { recursive: true }),
    listDir(path) {
      try {
        return fs.readdirSync(path);
      } catch {
        return [];
      }
    },
    exists: (path) => fs.existsSync(path),
    run,
    // Synchronous writes keep console lines in order with PID 1's and the kernel's.
    print: (line) => void fs.writeSync(1, `${line}\n`),
    openKeys,
    now: () => performance.now(),
    sleep,
    env: (name) => process.env[name],
  };
}
