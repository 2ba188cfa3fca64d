// The file-system slice the journal needs: src/gen's FileSystem plus the two calls a log needs and a
// store does not, truncating a torn tail and reading from an offset (a follower polling a growing file).
import { open, truncate as fspTruncate } from 'node:fs/promises';
import { createNodeFileSystem, type FileSystem } from '../../gen/index.js';

export interface JournalFs extends FileSystem {
  /** Cuts the file to `length` bytes. */
  truncate(path: string, length: number): Promise<void>;
  /** The bytes from `offset` to the current end of the file. */
  readFrom(path: string, offset: number): AsyncIterable<Uint8Array>;
}

let real: JournalFs | undefined;

/** The host's real files: ftruncate and positioned reads. One shared object, which the writer lock keys on. */
export function nodeJournalFs(): JournalFs {
  return (real ??= {
    ...createNodeFileSystem(),
    truncate: (path, length) => fspTruncate(path, length),
    async *readFrom(path, offset) {
      const h = await open(path, 'r');
      try {
        let pos = offset;
        for (;;) {
          const buf = Buffer.alloc(1 << 20);
          const { bytesRead } = await h.read(buf, 0, buf.length, pos);
          if (bytesRead === 0) return;
          pos += bytesRead;
          yield buf.subarray(0, bytesRead);
        }
      } finally {
        await h.close();
      }
    },
  });
}

/**
 * Adds the two calls to any FileSystem by reading and rewriting whole files: right for the in-memory
 * file system and the crash-injecting wrapper in tests, where a rewrite is as atomic as the map it
 * lives in. Not for real disks: a power cut in the middle of the rewrite would lose the file.
 */
export function journalFsOver(fs: FileSystem): JournalFs {
  return {
    ...bind(fs),
    async truncate(path, length) {
      const data = await fs.readFile(path);
      if (data.length > length) await fs.writeFile(path, data.slice(0, length));
    },
    async *readFrom(path, offset) {
      let pos = 0;
      for await (const c of fs.readChunks(path)) {
        const skip = Math.max(0, offset - pos);
        pos += c.length;
        if (skip < c.length) yield c.subarray(skip);
      }
    },
  };
}

// Spreading an object keeps own getters' values only; bind the methods so wrappers with state (the
// crash counter) keep working through the copy.
function bind(fs: FileSystem): FileSystem {
  const m = <K extends keyof FileSystem>(k: K): FileSystem[K] => (fs[k] as (...a: unknown[]) => unknown).bind(fs) as FileSystem[K];
  return {
    readFile: m('readFile'), readChunks: m('readChunks'), writeFile: m('writeFile'), appendFile: m('appendFile'),
    fsyncFile: m('fsyncFile'), fsyncDir: m('fsyncDir'), rename: m('rename'), mkdir: m('mkdir'), readdir: m('readdir'),
    stat: m('stat'), lstat: m('lstat'), rm: m('rm'), exists: m('exists'), chmod: m('chmod'), symlink: m('symlink'),
  };
}
