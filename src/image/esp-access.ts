// The ESP of a disk image from the host, in place, through mtools (`image@@offset`): list the boot
// entries, read them, and rename them (blessing a boot-counted entry is a rename).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execText, execTool } from './exec.js';

export class EspAccess {
  private readonly drive: string;

  constructor(readonly image: string, readonly offset = 0) {
    this.drive = offset ? `${image}@@${offset}` : image;
  }

  /** Entry names in `dir` (e.g. "/EFI/Linux"), sorted; directories end in "/". */
  async list(dir: string): Promise<string[]> {
    const out = await execText('mdir', ['-b', '-i', this.drive, `::${dir}`]);
    const prefix = `::${dir.replace(/\/$/, '')}/`;
    return out.split('\n').filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length)).sort();
  }

  async readFile(path: string): Promise<Buffer> {
    return execTool('mcopy', ['-n', '-i', this.drive, `::${path}`, '-']);
  }

  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'dialogos-esp-'));
    try {
      writeFileSync(join(dir, 'f'), data);
      await execTool('mcopy', ['-o', '-i', this.drive, join(dir, 'f'), `::${path}`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Renames within one directory (the BLS counter rename); `to` is the new full path. */
  async rename(from: string, to: string): Promise<void> {
    const name = to.slice(to.lastIndexOf('/') + 1);
    await execTool('mren', ['-i', this.drive, `::${from}`, name]);
  }

  async exists(path: string): Promise<boolean> {
    try { await execTool('mdir', ['-b', '-i', this.drive, `::${path}`]); return true; } catch { return false; }
  }
}

