// A GGUF header read from disk without its tensors: a growing prefix of the file until the header parser
// has what it needs (1 MiB holds most; a 150k-token vocabulary needs a few). The llm service uses it to
// refuse truncated or corrupt models by name before a worker loads them, and to describe them.
import { open, type FileHandle } from 'node:fs/promises';
import { GgufFormatError } from '../errors.js';
import { PrefixEnds, parseGgufPrefix, type GgufHeader } from './header.js';

const FIRST_READ = 1 << 20;
const MAX_HEADER = 512 * 1024 * 1024;

async function readPrefix(fh: FileHandle, n: number): Promise<Buffer> {
  const b = Buffer.alloc(n);
  const { bytesRead } = await fh.read(b, 0, n, 0);
  return b.subarray(0, bytesRead);
}

/**
 * Parses the header (metadata, tensor table) of the GGUF at `path`, reading no tensor data.
 * @throws GgufFormatError naming what is wrong; the fs error when the file cannot be opened
 */
export async function readGgufHeader(path: string): Promise<GgufHeader> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    let prefix = await readPrefix(fh, Math.min(size, FIRST_READ));
    for (;;) {
      try {
        return parseGgufPrefix(prefix, size, path);
      } catch (err) {
        if (!(err instanceof PrefixEnds)) throw err;
        if (err.need > MAX_HEADER) throw new GgufFormatError(`Cannot read GGUF "${path}": the header is larger than 512 MiB`);
        // The file may have shrunk under us; a short read then ends as truncation at the next parse.
        const next = await readPrefix(fh, Math.min(size, Math.max(2 * prefix.length, err.need)));
        if (next.length <= prefix.length) throw new GgufFormatError(`Cannot read GGUF "${path}": it shrank to ${next.length} bytes while being read`);
        prefix = next;
      }
    }
  } finally {
    await fh.close();
  }
}

/**
 * Reads the header and checks that every tensor lies inside the file and that it names an architecture.
 * @throws GgufFormatError naming what is wrong
 */
export async function checkGguf(path: string): Promise<GgufHeader> {
  const h = await readGgufHeader(path);
  if (h.requiredSize !== null && h.requiredSize > h.fileSize) throw new GgufFormatError(`the file is truncated: its tensors need ${h.requiredSize} bytes, the file has ${h.fileSize}`);
  if (typeof h.kv.get('general.architecture') !== 'string') throw new GgufFormatError('the metadata has no "general.architecture"');
  return h;
}
