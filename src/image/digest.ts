// The content digest of everything an image is built from. Stored beside the image, it tells
// `dialogos up` whether to rebuild, and it seeds the image's GUIDs, UUIDs and volume ids.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isShippedSourcePath, SHIPPED_MODULES, SHIPPED_PATHS } from './generation-tree.js';
import { walkTree } from './walk.js';

/** Bump when the builder's output changes for the same inputs. */
export const BUILDER_VERSION = 'image-builder-1';

/** sha256 over the relative paths, modes and contents of the shipped source (what a generation carries). */
export function sourceDigest(sourceRoot: string): string {
  const h = createHash('sha256');
  const paths = [...SHIPPED_PATHS, ...SHIPPED_MODULES.map((m) => `node_modules/${m}/package.json`)];
  for (const rel of paths) {
    const abs = join(sourceRoot, rel);
    if (!existsSync(abs)) { h.update(`missing ${rel}\n`); continue; }
    if (!statSync(abs).isDirectory()) {
      h.update(`file ${rel} ${statSync(abs).mode & 0o111 ? 'x' : '-'}\n`).update(readFileSync(abs));
      continue;
    }
    for (const e of walkTree(abs)) {
      if (!isShippedSourcePath(`${rel}/${e.rel}`)) continue;
      h.update(`${e.type} ${rel}/${e.rel} ${e.mode & 0o111 ? 'x' : '-'}\n`);
      if (e.type === 'file') h.update(readFileSync(e.abs));
      if (e.type === 'symlink') h.update(e.target ?? '');
    }
  }
  return h.digest('hex');
}

/** sha256 of named parts: file parts are hashed by content, the rest as text. */
export function digestParts(parts: Record<string, { file: string } | string | number>): string {
  const h = createHash('sha256');
  for (const key of Object.keys(parts).sort()) {
    const v = parts[key]!;
    h.update(`${key}=`);
    if (typeof v === 'object') h.update(createHash('sha256').update(readFileSync(v.file)).digest('hex'));
    else h.update(String(v));
    h.update('\n');
  }
  return h.digest('hex');
}
