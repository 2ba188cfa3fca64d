// The file level of an image comparison: which files of the ESP differ (its whole tree, read with
// mtools), and which of the data partition (the generation's tree files through the manifests, then
// every file outside the tree: manifest.sig, state.json, trust.json, boot.json, ...).
import type { Manifest, ManifestFile } from '../../gen/types.js';
import { DebugfsFileSystem } from '../../image/debugfs-fs.js';
import { EspAccess } from '../../image/esp-access.js';
import type { GptPartition } from '../../image/gpt.js';

const fileKey = (f: ManifestFile): string => `${f.sha256} ${f.size} ${f.mode.toString(8)}`;

/** The tree files two manifests disagree on, and the manifest fields besides `files` that differ. */
export function manifestDifferences(a: Manifest, b: Manifest): string[] {
  const out: string[] = [];
  for (const k of Object.keys({ ...a, ...b }) as Array<keyof Manifest>) {
    if (k === 'files' || JSON.stringify(a[k]) === JSON.stringify(b[k])) continue;
    out.push(`manifest field "${k}": ${JSON.stringify(a[k])} vs ${JSON.stringify(b[k])}`);
  }
  const [ma, mb] = [new Map(a.files.map((f) => [f.path, f])), new Map(b.files.map((f) => [f.path, f]))];
  for (const path of [...new Set([...ma.keys(), ...mb.keys()])].sort()) {
    const [x, y] = [ma.get(path), mb.get(path)];
    if (!x || !y) out.push(`tree file "${path}" only in the ${x ? 'first' : 'second'} image`);
    else if (fileKey(x) !== fileKey(y)) out.push(`tree file "${path}": ${fileKey(x)} vs ${fileKey(y)} (sha256 size mode)`);
  }
  return out;
}

/** Every file path under `dir` of a reader, skipping folders `skip` says to (sorted, "/"-rooted). */
async function walk(list: (dir: string) => Promise<Array<{ name: string; dir: boolean }>>, dir: string,
  skip: (path: string) => boolean = () => false): Promise<string[]> {
  const out: string[] = [];
  for (const e of await list(dir)) {
    const path = `${dir === '/' ? '' : dir}/${e.name}`;
    if (skip(path)) continue;
    if (e.dir) out.push(...(await walk(list, path, skip)));
    else out.push(path);
  }
  return out.sort();
}

/** Compares the files two readers hold at the same paths; names those that differ or exist once. */
async function fileDifferences(paths: [string[], string[]], read: [(p: string) => Promise<Buffer>, (p: string) => Promise<Buffer>]): Promise<string[]> {
  const out: string[] = [];
  const [sa, sb] = [new Set(paths[0]), new Set(paths[1])];
  for (const p of [...new Set([...sa, ...sb])].sort()) {
    if (!sa.has(p) || !sb.has(p)) { out.push(`file "${p}" only in the ${sa.has(p) ? 'first' : 'second'} image`); continue; }
    const [x, y] = [await read[0](p), await read[1](p)];
    if (!x.equals(y)) out.push(`file "${p}" differs (${x.length} vs ${y.length} bytes)`);
  }
  return out;
}

/** The ESP's files that differ. */
export async function espDifferences(a: string, b: string, part: GptPartition): Promise<string[]> {
  const esp = [new EspAccess(a, part.offset), new EspAccess(b, part.offset)] as const;
  const lister = (e: EspAccess) => async (dir: string) => (await e.list(dir)).map((n) => ({ name: n.replace(/\/$/, ''), dir: n.endsWith('/') }));
  const paths: [string[], string[]] = [await walk(lister(esp[0]), '/'), await walk(lister(esp[1]), '/')];
  const out = await fileDifferences(paths, [(p) => esp[0].readFile(p), (p) => esp[1].readFile(p)]);
  return out.length > 0 ? out : ['every file is the same: the difference is in the FAT itself (directory entries, times, FSInfo)'];
}

const GENS = '/dialogos/store/gens';

/** The data partition's files that differ: tree files by manifest, the rest byte for byte. */
export async function dataDifferences(a: string, b: string, part: GptPartition): Promise<string[]> {
  const fs = [new DebugfsFileSystem(a, part.offset), new DebugfsFileSystem(b, part.offset)] as const;
  const out: string[] = [];
  const [ga, gb] = [await fs[0].readdir(GENS), await fs[1].readdir(GENS)];
  if (JSON.stringify(ga) !== JSON.stringify(gb)) out.push(`generations differ: ${ga.join(', ')} vs ${gb.join(', ')}`);
  for (const id of ga.filter((g) => gb.includes(g))) {
    const m = await Promise.all(fs.map(async (f) => JSON.parse((await f.readFile(`${GENS}/${id}/manifest.json`)).toString()) as Manifest));
    out.push(...manifestDifferences(m[0]!, m[1]!).map((l) => `generation ${id}: ${l}`));
  }
  const lister = (f: DebugfsFileSystem) => async (dir: string) => Promise.all((await f.readdir(dir)).map(async (name) => ({
    name, dir: (await f.lstat(`${dir === '/' ? '' : dir}/${name}`)).kind === 'dir',
  })));
  const tree = (p: string) => /^\/dialogos\/store\/gens\/[^/]+\/tree$/.test(p) || p === '/lost+found';
  const paths: [string[], string[]] = [await walk(lister(fs[0]), '/', tree), await walk(lister(fs[1]), '/', tree)];
  out.push(...(await fileDifferences(paths, [(p) => fs[0].readFile(p), (p) => fs[1].readFile(p)])));
  return out.length > 0 ? out : ['every file and manifest is the same: the difference is in ext4 metadata (inodes, bitmaps, journal)'];
}
