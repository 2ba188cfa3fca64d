// Validation of a whole spec set before anything is applied: every spec against its schema, unique
// names, and the dependency graph (unknown names, cycles). Either all of it is valid or nothing is used.
import type { z } from 'zod';
import { SpecValidationError, type SpecIssue } from './errors.js';
import { specSchema, type EntropySpec, type MountSpec, type NetworkSpec, type ServiceSpec, type Spec, type TimeSpec } from './schema.js';

/** One raw spec as read from a file (or an API body). */
export interface RawSpec {
  file?: string;
  value: unknown;
}

/** A validated spec set. `startOrder` lists services so that each comes after everything it depends on. */
export interface SpecSet {
  services: Map<string, ServiceSpec>;
  mounts: Map<string, MountSpec>;
  network?: NetworkSpec;
  time?: TimeSpec;
  entropy?: EntropySpec;
  startOrder: string[];
}

const show = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function unitOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { kind, name } = value as { kind?: unknown; name?: unknown };
  if (typeof kind !== 'string') return undefined;
  return typeof name === 'string' ? `${kind} "${name}"` : kind;
}

/** Turns zod issues into sentences that name the field, the value seen and what was expected. */
export function zodIssues(err: z.ZodError, raw: RawSpec): SpecIssue[] {
  const unit = unitOf(raw.value);
  return err.issues.map((i) => {
    const path = i.path.map(String).join('.');
    const got = valueAt(raw.value, i.path);
    let message: string;
    if (i.code === 'invalid_union' && (i.path.length === 0 || i.path.at(-1) === 'kind') && got !== null && typeof got !== 'string') {
      const kindPath = i.path.at(-1) === 'kind' ? i.path : [...i.path, 'kind'];
      message = `expected kind to be one of "service", "mount", "network", "time", "entropy", got ${show(valueAt(raw.value, kindPath))}`;
      return { file: raw.file, unit, path: kindPath.map(String).join('.'), message };
    }
    if (i.code === 'unrecognized_keys') {
      message = `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    } else {
      const text = i.message.replace(/^(Invalid (input|option)|Too (small|big)): /, '').replace(/, received \w+$/, '');
      message = `${text}, got ${show(got)}`;
    }
    return { file: raw.file, unit, path, message };
  });
}

/**
 * Validates every spec and the service dependency graph.
 * @throws SpecValidationError listing every problem; nothing is returned half-valid.
 */
export function validateSpecs(raws: RawSpec[]): SpecSet {
  const issues: SpecIssue[] = [];
  const parsed: { spec: Spec; file?: string }[] = [];
  for (const raw of raws) {
    const r = specSchema.safeParse(raw.value);
    if (r.success) parsed.push({ spec: r.data, file: raw.file });
    else issues.push(...zodIssues(r.error, raw));
  }
  const set: SpecSet = { services: new Map(), mounts: new Map(), startOrder: [] };
  const seen = new Map<string, string | undefined>();
  for (const { spec, file } of parsed) {
    const key = `${spec.kind} "${spec.name}"`;
    if (seen.has(key)) {
      issues.push({ file, unit: key, path: 'name', message: `defined twice (also in ${seen.get(key) ?? 'the same set'})` });
      continue;
    }
    seen.set(key, file);
    if (spec.kind === 'service') set.services.set(spec.name, spec);
    else if (spec.kind === 'mount') set.mounts.set(spec.name, spec);
    else if (spec.kind === 'network') set.network = spec;
    else if (spec.kind === 'time') set.time = spec;
    else set.entropy = spec;
  }
  issues.push(...graphIssues(set.services));
  if (issues.length) throw new SpecValidationError(issues);
  set.startOrder = startOrder(set.services);
  return set;
}

const depsOf = (s: ServiceSpec): string[] => [...new Set([...s.requires, ...s.after])];

function graphIssues(services: Map<string, ServiceSpec>): SpecIssue[] {
  const issues: SpecIssue[] = [];
  for (const s of services.values()) {
    for (const field of ['requires', 'after'] as const) {
      s[field].forEach((dep, i) => {
        if (dep === s.name) issues.push({ unit: `service "${s.name}"`, path: `${field}.${i}`, message: 'a service cannot depend on itself' });
        else if (!services.has(dep)) issues.push({ unit: `service "${s.name}"`, path: `${field}.${i}`, message: `unknown service "${dep}"` });
      });
    }
  }
  if (issues.length) return issues;
  const cycle = findCycle(services);
  if (cycle) issues.push({ unit: `service "${cycle[0]}"`, path: 'requires/after', message: `dependency cycle: ${cycle.join(' -> ')}` });
  return issues;
}

function findCycle(services: Map<string, ServiceSpec>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'open') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'open');
    stack.push(name);
    for (const d of depsOf(services.get(name)!)) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of [...services.keys()].sort()) {
    const c = visit(name);
    if (c) return c;
  }
  return null;
}

/** Kahn's algorithm with names sorted at each step, so the order is the same on every run. */
function startOrder(services: Map<string, ServiceSpec>): string[] {
  const pending = new Map([...services.values()].map((s) => [s.name, new Set(depsOf(s))]));
  const order: string[] = [];
  while (pending.size) {
    const ready = [...pending].filter(([, deps]) => deps.size === 0).map(([n]) => n).sort();
    for (const n of ready) {
      pending.delete(n);
      order.push(n);
      for (const deps of pending.values()) deps.delete(n);
    }
    if (!ready.length) throw new Error('unreachable: cycle after the cycle check');
  }
  return order;
}

/** The services that depend (directly or not) on `name`. */
export function dependentsOf(services: Map<string, ServiceSpec>, name: string): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of services.values()) {
      if (out.has(s.name)) continue;
      if (depsOf(s).some((d) => d === name || out.has(d))) {
        out.add(s.name);
        grew = true;
      }
    }
  }
  return out;
}

export { depsOf };
