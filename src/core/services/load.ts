// Spec files: the generation ships defaults, /data holds the machine's own specs (which survive
// generation switches). Each `*.json` file holds one spec or an array of specs; a /data spec with the
// same kind and name as a default is merged over it field by field (objects merge, arrays replace), so
// `{"kind":"service","name":"sshd","enabled":false}` is enough to turn a default off.
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

/** Merges /data specs over defaults by kind and name. Exported for the API's `apply`, which does the same. */
export function mergeLayers(defaults: RawSpec[], data: RawSpec[]): RawSpec[] {
  const merged = new Map<string, RawSpec>();
  const loose: RawSpec[] = [];
  for (const layer of [defaults, data]) {
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
