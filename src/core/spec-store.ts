// `apply` and `rm` for the API: the specs given replace (by kind and name) those in the machine's spec
// directory or are added to it; `prune` and `rm` take specs out of it. The whole set (generation
// defaults + /data specs) is validated before anything is written or reconciled, so a refused change
// changes nothing. Both also drop the unit's enable/disable override patch: the operator's explicit
// spec wins.
import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createNodeFileSystem } from '../gen/index.js';
import { writeFileAtomic } from '../std/index.js';
import {
  mergeLayers, overrideFile, readSpecDir, SpecRemoveError, SpecValidationError, UnitNotFoundError, validateSpecs, type RawSpec, type SpecIssue, type SpecSet,
} from './services/index.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const keyOf = (v: unknown): { kind: string; name: string } | null =>
  isObj(v) && typeof v.kind === 'string' ? { kind: v.kind, name: typeof v.name === 'string' ? v.name : v.kind } : null;
const SAFE = /^[a-z][a-z0-9-]{0,62}$/;

export interface PlannedApply {
  set: SpecSet;
  /** Files to write (path -> content) and override patches to remove, once the set is accepted. */
  writes: Map<string, string>;
  removals: string[];
}

/** Reads both layers; an unreadable file is an issue like any other. */
async function layers(defaultsDir: string | null, specDir: string, issues: SpecIssue[]): Promise<{ defaults: RawSpec[]; data: RawSpec[] }> {
  const fs = createNodeFileSystem();
  return {
    defaults: defaultsDir ? await readSpecDir(fs, defaultsDir, issues) : [],
    data: await readSpecDir(fs, specDir, issues),
  };
}

/**
 * Plans an apply of `given` over the spec directories without touching anything.
 * @throws SpecValidationError listing every problem (of the request and of the files already there)
 */
export async function planApply(defaultsDir: string | null, specDir: string, given: unknown[], o: { prune?: boolean } = {}): Promise<PlannedApply> {
  const keep = new Set(given.map(keyOf).filter((k) => k !== null).map((k) => `${k.kind}/${k.name}`));
  return plan(defaultsDir, specDir, given, o.prune ? (kind, name) => !keep.has(`${kind}/${name}`) : () => false);
}

/**
 * Plans taking the spec `kind`/`name` out of the machine's spec directory.
 * @throws UnitNotFoundError when no machine spec has that kind and name
 * @throws SpecRemoveError when it is a generation default or another unit requires or follows it
 * @throws SpecValidationError when the rest of the set is invalid
 */
export async function planRemove(defaultsDir: string | null, specDir: string, kind: string, name: string): Promise<PlannedApply> {
  const issues: SpecIssue[] = [];
  const { defaults, data } = await layers(defaultsDir, specDir, issues);
  const is = (r: RawSpec): boolean => !r.file?.endsWith('.override.json') && keyOf(r.value)?.kind === kind && keyOf(r.value)?.name === name;
  if (defaults.some(is)) {
    const how = kind === 'service' ? `\`dialogos svc disable ${name}\`` : `\`dialogos svc apply\` with {"kind":"${kind}","name":"${name}","enabled":false}`;
    throw new SpecRemoveError(`Cannot remove ${kind} "${name}": it is a default of the running generation; turn it off with ${how} instead`);
  }
  if (!data.some(is)) {
    throw new UnitNotFoundError(`Cannot remove ${kind} "${name}": no such spec in ${specDir} (list them with \`dialogos svc ls\`)`);
  }
  const users: string[] = [];
  for (const r of mergeLayers(defaults, data)) {
    const v = r.value;
    if (!isObj(v) || v.kind !== 'service' || v.name === name) continue;
    for (const [field, verb] of [['requires', 'requires'], ['after', 'is ordered after']] as const) {
      if (kind === 'service' && Array.isArray(v[field]) && (v[field] as unknown[]).includes(name)) users.push(`service "${String(v.name)}" ${verb} it`);
    }
  }
  if (users.length) throw new SpecRemoveError(`Cannot remove ${kind} "${name}": ${users.join('; ')}; change or remove ${users.length === 1 ? 'that unit' : 'those units'} first`);
  return plan(defaultsDir, specDir, [], (k, n) => k === kind && n === name);
}

async function plan(defaultsDir: string | null, specDir: string, given: unknown[], drop: (kind: string, name: string) => boolean): Promise<PlannedApply> {
  const issues: SpecIssue[] = [];
  const { defaults, data } = await layers(defaultsDir, specDir, issues);
  // `target`: the file a spec is written to; `file` names it in validation messages.
  const next: (RawSpec & { target?: string })[] = [];
  const touched = new Set<string>();
  const removals: string[] = [];
  const droppedOverrides = new Set<string>();
  for (const r of data) {
    const k = keyOf(r.value);
    if (k && r.file && !r.file.endsWith('.override.json') && drop(k.kind, k.name)) {
      touched.add(r.file);
      droppedOverrides.add(overrideFile(specDir, k.kind, k.name));
    } else next.push({ ...r });
  }
  given.forEach((value, i) => {
    const label = `request specs[${i}]`;
    const k = keyOf(value);
    if (!k || !SAFE.test(k.name) || !SAFE.test(k.kind)) {
      // Validation names what is wrong with it; it is never written.
      next.push({ file: label, value });
      return;
    }
    const override = overrideFile(specDir, k.kind, k.name);
    droppedOverrides.add(override);
    const at = next.findIndex((r) => !r.file?.endsWith('.override.json') && r.file?.startsWith(specDir) && keyOf(r.value)?.kind === k.kind && keyOf(r.value)?.name === k.name);
    const target = at >= 0 ? next[at]!.file! : join(specDir, `${k.kind}-${k.name}.json`);
    touched.add(target);
    if (at >= 0) next[at] = { file: label, value, target };
    else next.push({ file: label, value, target });
  });
  const kept = next.filter((r) => !(r.file && droppedOverrides.has(r.file)));
  for (const f of droppedOverrides) if (data.some((r) => r.file === f)) removals.push(f);
  let set: SpecSet | null = null;
  try {
    set = validateSpecs(mergeLayers(defaults, kept.map(({ file, value }) => ({ file, value }))));
  } catch (err) {
    if (!(err instanceof SpecValidationError)) throw err;
    issues.push(...err.issues);
  }
  if (issues.length || !set) throw new SpecValidationError(issues);
  const writes = new Map<string, string>();
  for (const file of touched) {
    const values = kept.filter((r) => (r.target ?? r.file) === file).map((r) => r.value);
    if (values.length === 0) removals.push(file);
    else writes.set(file, `${JSON.stringify(values.length === 1 ? values[0] : values, null, 2)}\n`);
  }
  return { set, writes, removals };
}

/** Writes the planned files (each atomically) and removes the dropped overrides; returns the file names. */
export async function commitApply(p: PlannedApply): Promise<string[]> {
  for (const [file, text] of p.writes) {
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, text);
  }
  for (const f of p.removals) await rm(f, { force: true });
  return [...p.writes.keys(), ...p.removals].map((f) => basename(f));
}
