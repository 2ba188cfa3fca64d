// The model store: GGUF files the owner added (with digests, in an index) plus read-only models shipped in
// the generation. Adding checks the header, copies with a digest, has a worker load the copy, then renames
// it into place, so a crash at any step leaves either the old store or the new one.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncDir, writeFileAtomic } from '../std/index.js';
import { ModelStoreError } from './errors.js';
import { checkGguf, GgufFormatError, type GgufHeader } from '../train/index.js';
import { locateDefaultModel } from './default-model.js';
import { DEFAULT_MODEL, type LlmPaths } from './paths.js';

export interface StoredModel {
  name: string;
  /** Absolute path of the GGUF. */
  file: string;
  sha256: string | null;
  size: number;
  architecture: string;
  parameters: number;
  contextLength: number | null;
  chatTemplate: boolean;
  addedAt: string | null;
  /** store: added; shipped: in the generation; trained: <state>/train; checkout: a build host's models/ or build/work/. */
  source: 'store' | 'shipped' | 'trained' | 'checkout';
}

export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** Describes a GGUF from its header. */
export function describeHeader(h: GgufHeader): Pick<StoredModel, 'architecture' | 'parameters' | 'contextLength' | 'chatTemplate'> {
  const arch = String(h.kv.get('general.architecture'));
  const ctx = h.kv.get(`${arch}.context_length`);
  const template = h.kv.get('tokenizer.chat_template');
  return {
    architecture: arch,
    parameters: h.tensors.reduce((n, t) => n + t.dims.reduce((a, b) => a * b, 1), 0),
    contextLength: typeof ctx === 'number' ? ctx : null,
    chatTemplate: typeof template === 'string' && template.length > 0,
  };
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Loads a GGUF in a throw-away worker; resolves when it loaded, rejects with the reason (crash included). */
export type VerifyLoad = (path: string, name: string) => Promise<void>;

export class ModelStore {
  private shippedCache = new Map<string, { mtimeMs: number; model: StoredModel }>();
  constructor(readonly paths: LlmPaths) {}

  private async readIndex(): Promise<StoredModel[]> {
    try {
      const v = JSON.parse(await readFile(this.paths.indexFile, 'utf8')) as { models?: StoredModel[] };
      return (v.models ?? []).map((m) => ({ ...m, file: m.file.startsWith('/') ? m.file : join(this.paths.modelsDir, m.file), source: 'store' as const }));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new ModelStoreError(`Cannot read the model index "${this.paths.indexFile}": ${(err as Error).message}`, 'invalid', { cause: err });
    }
  }

  private async writeIndex(models: StoredModel[]): Promise<void> {
    const rows = models.map(({ source: _s, ...m }) => ({ ...m, file: basename(m.file) }));
    await mkdir(dirname(this.paths.indexFile), { recursive: true });
    await writeFileAtomic(this.paths.indexFile, `${JSON.stringify({ models: rows }, null, 2)}\n`);
  }

  /** A read-only model file, described from its header (cached by mtime); null when it is broken. */
  private async describeFile(file: string, name: string, source: StoredModel['source']): Promise<StoredModel | null> {
    try {
      const st = await stat(file);
      const c = this.shippedCache.get(file);
      if (c && c.mtimeMs === st.mtimeMs && c.model.name === name) return c.model;
      const h = await checkGguf(file);
      const model: StoredModel = { name, file, sha256: null, size: st.size, ...describeHeader(h), addedAt: null, source };
      this.shippedCache.set(file, { mtimeMs: st.mtimeMs, model });
      return model;
    } catch { return null; /* a broken shipped file is left out; `model show` on it names the problem */ }
  }

  /** The shipped directory's models, with dialogos-mini taken from where it is found (a trained one first). */
  private async shipped(): Promise<StoredModel[]> {
    let names: string[];
    try { names = (await readdir(this.paths.shippedDir)).filter((f) => f.endsWith('.gguf')).sort(); } catch { names = []; }
    const out: StoredModel[] = [];
    const mini = locateDefaultModel(this.paths);
    if (mini) {
      const m = await this.describeFile(mini.file, DEFAULT_MODEL, mini.place === 'shipped' ? 'shipped' : mini.place);
      if (m) out.push(m);
    }
    for (const f of names) {
      const name = f.slice(0, -5);
      if (mini && name === DEFAULT_MODEL) continue;
      const m = await this.describeFile(join(this.paths.shippedDir, f), name, 'shipped');
      if (m) out.push(m);
    }
    return out;
  }

  /** Every model: added ones first, then shipped ones whose names are not taken. */
  async list(): Promise<StoredModel[]> {
    const own = await this.readIndex();
    const names = new Set(own.map((m) => m.name));
    return [...own, ...(await this.shipped()).filter((m) => !names.has(m.name))];
  }

  /** One model, with its digest computed for shipped files. Throws ModelStoreError('not-found'). */
  async get(name: string, withDigest = false): Promise<StoredModel> {
    const m = (await this.list()).find((x) => x.name === name);
    if (!m) throw new ModelStoreError(`No model named "${name}" (see \`dialogos model ls\`)`, 'not-found');
    if (withDigest && !m.sha256) m.sha256 = await sha256File(m.file);
    return m;
  }

  /**
   * Adds a GGUF under `name` (default: the file name without .gguf). Throws ModelStoreError: 'invalid'
   * (not a GGUF, truncated, fails to load or crashes the loader), 'exists' (name taken).
   */
  async add(src: string, o: { name?: string; verify: VerifyLoad; now?: () => Date }): Promise<StoredModel> {
    const name = o.name ?? basename(src).replace(/\.gguf$/i, '');
    if (!NAME_RE.test(name)) throw new ModelStoreError(`Cannot add "${src}": the name "${name}" must be 1-64 letters, digits, ".", "_", ":" or "-" (give one with --name)`, 'invalid');
    let header: GgufHeader;
    try { header = await checkGguf(src); } catch (err) {
      if (err instanceof GgufFormatError) throw new ModelStoreError(`Cannot add "${src}": ${err.message}`, 'invalid', { cause: err });
      throw new ModelStoreError(`Cannot add "${src}": ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, 'invalid', { cause: err });
    }
    if ((await this.list()).some((m) => m.name === name)) throw new ModelStoreError(`Cannot add "${src}": a model named "${name}" exists (remove it first or pick another --name)`, 'exists');
    await mkdir(this.paths.modelsDir, { recursive: true });
    const tmp = join(this.paths.modelsDir, `.add-${process.pid}-${name}.gguf`);
    const hash = createHash('sha256');
    const out = await open(tmp, 'w', 0o644);
    try {
      for await (const chunk of createReadStream(src)) { hash.update(chunk as Buffer); await out.write(chunk as Buffer); }
      await out.sync();
      await out.close();
      await o.verify(tmp, name);
    } catch (err) {
      await out.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw err instanceof ModelStoreError ? err : new ModelStoreError(`Cannot add "${src}": ${(err as Error).message}`, 'invalid', { cause: err });
    }
    const file = join(this.paths.modelsDir, `${name}.gguf`);
    await rename(tmp, file);
    await fsyncDir(this.paths.modelsDir);
    const model: StoredModel = { name, file, sha256: hash.digest('hex'), size: header.fileSize, ...describeHeader(header), addedAt: (o.now ?? (() => new Date()))().toISOString(), source: 'store' };
    await this.writeIndex([...(await this.readIndex()).filter((m) => m.name !== name), model]);
    return model;
  }

  /** Removes an added model (index first, then the file). Shipped models are read-only. */
  async remove(name: string): Promise<StoredModel> {
    const own = await this.readIndex();
    const m = own.find((x) => x.name === name);
    if (!m) {
      const ro = (await this.shipped()).find((x) => x.name === name);
      const why = ro?.source === 'trained' ? 'it is the trained default model' : 'it ships with the generation';
      if (ro) throw new ModelStoreError(`Cannot remove "${name}": ${why} (read-only: ${ro.file})`, 'read-only');
      throw new ModelStoreError(`Cannot remove "${name}": no such model (see \`dialogos model ls\`)`, 'not-found');
    }
    await this.writeIndex(own.filter((x) => x.name !== name));
    await unlink(m.file).catch(() => undefined);
    return m;
  }
}
