// Spec files: the generation ships defaults, /data holds the machine's own specs (which survive
// generation switches). Each `*.json` file holds one spec or an array of specs; a /data spec with the
// same kind and name as a default is merged over it field by field (objects merge, arrays replace), so
// `{"kind":"service","name":"sshd","enabled":false}` is enough to turn a default off. Files named
// `*.override.json` are patches applied last, in name order (how `dialogos svc enable|disable` persists).
import type { FileSystem } from '../../gen/index.js';
import { SpecValidationError, type SpecIssue } from './errors.js';
import { validateSpecs, type RawSpec, type SpecSet } from './validate.js';

export interface SpecSources {
  /** The generation's defaults, e.g. `/dialogos/etc/specs` (missing = none). */
  defaultsDir?: string;
  /** The machine's specs, e.g. `/data/dialogos/specs` (missing = none). */
  dataDir?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep merge: objects merge key by key, anything else (arrays included) is replaced. */
export function mergeSpec(base: unknown, over: unknown): unknown {
  if (!isObj(base) || !isObj(over)) return over;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeSpec(base[k], v) : v;
  return out;
}

const keyOf = (v: unknown): string | null =>
  isObj(v) && typeof v.kind === 'string' ? `${v.kind}/${typeof v.name === 'string' ? v.name : v.kind}` : null;

/** Reads the raw specs of one directory, in file-name order; unreadable or non-JSON files are issues. */
export async function readSpecDir(fs: FileSystem, dir: string, issues: SpecIssue[]): Promise<RawSpec[]> {
  if (!(await fs.exists(dir))) return [];
  const out: RawSpec[] = [];
  for (const name of await fs.readdir(dir)) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    const file = `${dir}/${name}`;
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await fs.readFile(file)));
    } catch (err) {
      issues.push({ file, path: '', message: `not valid JSON: ${(err as Error).message}` });
      continue;
    }
    for (const v of Array.isArray(value) ? value : [value]) out.push({ file, value: v });
  }
  return out;
}

const isOverride = (r: RawSpec): boolean => r.file?.endsWith('.override.json') ?? false;

/** Merges /data specs over defaults by kind and name, then the override patches. Exported for the API's `apply`. */
export function mergeLayers(defaults: RawSpec[], data: RawSpec[]): RawSpec[] {
  const merged = new Map<string, RawSpec>();
  const loose: RawSpec[] = [];
  const patches = [...defaults, ...data].filter(isOverride);
  for (const layer of [defaults.filter((r) => !isOverride(r)), data.filter((r) => !isOverride(r)), ...patches.map((p) => [p])]) {
    const inLayer = new Set<string>();
    for (const raw of layer) {
      const key = keyOf(raw.value);
      // Specs without a kind go through unmerged so that validation names them; duplicates inside one
      // layer too (the validator reports "defined twice").
      if (key === null || inLayer.has(key)) { loose.push(raw); continue; }
      inLayer.add(key);
      const base = merged.get(key);
      merged.set(key, base ? { file: raw.file, value: mergeSpec(base.value, raw.value) } : raw);
    }
  }
  return [...merged.values(), ...loose];
}

/**
 * Loads, merges and validates the spec set.
 * @throws SpecValidationError with every problem (unreadable files included); nothing half-loaded.
 */
export async function loadSpecs(fs: FileSystem, sources: SpecSources): Promise<SpecSet> {
  const issues: SpecIssue[] = [];
  const defaults = sources.defaultsDir ? await readSpecDir(fs, sources.defaultsDir, issues) : [];
  const data = sources.dataDir ? await readSpecDir(fs, sources.dataDir, issues) : [];
  let set: SpecSet | null = null;
  try {
    set = validateSpecs(mergeLayers(defaults, data));
  } catch (err) {
    if (!(err instanceof SpecValidationError)) throw err;
    issues.push(...err.issues);
  }
  if (issues.length || !set) throw new SpecValidationError(issues);
  return set;
}

/** The file `persistEnabled` writes: `<dataDir>/<kind>-<name>.override.json`. */
export const overrideFile = (dataDir: string, kind: string, name: string): string => `${dataDir}/${kind}-${name}.override.json`;

/**
 * Persists `enabled` for a unit as an override patch on /data (atomically: tmp, fsync, rename, fsync dir),
 * keeping any other fields an earlier override set.
 */
export async function persistEnabled(fs: FileSystem, dataDir: string, kind: string, name: string, enabled: boolean): Promise<void> {
  const path = overrideFile(dataDir, kind, name);
  let patch: Record<string, unknown> = { kind, name };
  if (await fs.exists(path)) {
    try {
      const old: unknown = JSON.parse(new TextDecoder().decode(await fs.readFile(path)));
      if (isObj(old)) patch = { ...old, kind, name };
    } catch {
      // A torn override is replaced whole.
    }
  }
  patch.enabled = enabled;
  await fs.mkdir(dataDir);
  const tmp = `${path}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(patch, null, 2)}\n`);
  await fs.fsyncFile(tmp);
  await fs.rename(tmp, path);
  await fs.fsyncDir(dataDir);
}
