// An in-memory BootPlatform for unit tests: files in a map, a virtual clock that sleep() advances,
// scripted console keys, and a log of every program the stage ran (mount, modprobe, kexec).
import type { BootPlatform, KeyReader, RunResult } from '../../boot/platform.js';

export interface ScriptedKey {
  /** Milliseconds after the read starts; a key later than the read's timeout is not seen by that read. */
  afterMs: number;
  key: string;
}

export class FakePlatform implements BootPlatform {
  readonly files = new Map<string, Buffer>();
  readonly dirs = new Set<string>(['/']);
  readonly lines: string[] = [];
  readonly commands: string[][] = [];
  readonly keys: ScriptedKey[] = [];
  readonly envVars = new Map<string, string>();
  /** Decides a program's result; the default succeeds. */
  onRun: (argv: string[]) => RunResult | undefined = () => undefined;
  private clock = 0;
  private timers: { at: number; fn: () => void }[] = [];

  /** Runs `fn` once the virtual clock reaches `atMs` (a device appearing, say). */
  at(atMs: number, fn: () => void): void {
    this.timers.push({ at: atMs, fn });
  }

  addFile(path: string, data: string | Uint8Array): void {
    this.files.set(path, Buffer.from(data));
    this.mkdir(path.slice(0, path.lastIndexOf('/')) || '/');
  }

  readFile(path: string): Buffer {
    const b = this.files.get(path);
    if (!b) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    return b;
  }

  readAt(path: string, offset: number, length: number): Buffer | null {
    const b = this.files.get(path);
    return b && b.length >= offset + length ? b.subarray(offset, offset + length) : null;
  }

  writeFile(path: string, data: string | Uint8Array): void {
    this.addFile(path, data);
  }

  mkdir(path: string): void {
    for (let d = path; d && d !== '/'; d = d.slice(0, d.lastIndexOf('/')) || '/') this.dirs.add(d);
  }

  listDir(path: string): string[] {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs]) {
      if (p.startsWith(prefix) && p.length > prefix.length) names.add(p.slice(prefix.length).split('/')[0]!);
    }
    return [...names];
  }

  exists(path: string): boolean {
    return this.files.has(path) || this.dirs.has(path);
  }

  run(argv: string[]): RunResult {
    this.commands.push(argv);
    return this.onRun(argv) ?? { status: 0, stdout: '', stderr: '' };
  }

  print(line: string): void {
    this.lines.push(line);
  }

  /** Set to false to play a console that is no terminal. */
  terminal = true;
  keysOpen = false;

  openKeys(): KeyReader | null {
    if (!this.terminal) return null;
    this.keysOpen = true;
    return { read: (ms) => this.readKey(ms), close: () => void (this.keysOpen = false) };
  }

  private async readKey(timeoutMs: number): Promise<string | null> {
    const next = this.keys[0];
    if (next && next.afterMs <= timeoutMs) {
      this.keys.shift();
      await this.sleep(next.afterMs);
      return next.key;
    }
    if (next) next.afterMs -= timeoutMs;
    await this.sleep(timeoutMs);
    return null;
  }

  now(): number {
    return this.clock;
  }

  async sleep(ms: number): Promise<void> {
    this.clock += ms;
    const due = this.timers.filter((t) => t.at <= this.clock);
    this.timers = this.timers.filter((t) => t.at > this.clock);
    for (const t of due) t.fn();
  }

  env(name: string): string | undefined {
    return this.envVars.get(name);
  }
}

/** Bytes of a minimal ext4 image: just enough superblock for the label probe. */
export function fakeExt4(label: string): Buffer {
  const b = Buffer.alloc(4096);
  b[1024 + 56] = 0x53;
  b[1024 + 57] = 0xef;
  b.write(label, 1024 + 120, 16, 'latin1');
  return b;
}
