// The GGUF header check the llm store and loader use (src/train's one parser): a file cut anywhere, or with
// bytes flipped in its header, is rejected with a GgufFormatError (never a crash, hang or huge allocation);
// intact files pass.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { checkGguf } from '../train/index.js';
import { readGgufHeader } from '../train/gguf/header-file.js';
import { describeHeader } from './store.js';
import { tinyParamCount, writeTinyModel, CHATML_TEMPLATE } from '../testkit/llm/tiny-model.js';

describe('GGUF header check', () => {
  let dir: string;
  let bytes: Buffer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialogos-gguf-'));
    await writeTinyModel(join(dir, 'm.gguf'), { layers: 1, chatTemplate: CHATML_TEMPLATE });
    bytes = await readFile(join(dir, 'm.gguf'));
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('reads what the writer wrote', async () => {
    const h = await checkGguf(join(dir, 'm.gguf'));
    const d = describeHeader(h);
    assert.equal(d.architecture, 'llama');
    assert.equal(d.parameters, tinyParamCount({ layers: 1 }));
    assert.equal(d.chatTemplate, true);
    assert.equal(h.requiredSize, h.fileSize);
  });

  it('rejects the file cut at any length with a GgufFormatError', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: bytes.length - 1 }), async (n) => {
      const p = join(dir, 'cut.gguf');
      await writeFile(p, bytes.subarray(0, n));
      await assert.rejects(checkGguf(p), (e: Error) => e.name === 'GgufFormatError' && /truncated|not a GGUF|past the end/.test(e.message));
    }), { numRuns: 150 });
  });

  it('never crashes on corrupted header bytes: parses or names the problem', async () => {
    const h = await readGgufHeader(join(dir, 'm.gguf'));
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: h.dataOffset - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (flips) => {
      const b = Buffer.from(bytes);
      for (const [i, v] of flips) b[i] = v;
      const p = join(dir, 'flip.gguf');
      await writeFile(p, b);
      try { await checkGguf(p); } catch (e) {
        assert.equal((e as Error).name, 'GgufFormatError', String((e as Error).stack));
      }
    }), { numRuns: 150 });
  });
});
