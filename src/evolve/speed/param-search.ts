// The parameter-search proposer: values for the declared tunables (`// @tunable min..max`) of the files in
// the target's scope. It proposes only for benchmark targets, since a tunable's worth is judged by benchmarks only.
import type * as TS from 'typescript';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../std/index.js';
import type { Proposal, ProposeContext, Proposer } from '../types.js';
import { findTunables, setTunable, type Tunable } from './tunables.js';

/** TypeScript sources under `scope` (prefixes relative to root), tests excluded, sorted. */
export function sourcesIn(root: string, scope: readonly string[]): string[] {
  const dirs = [...new Set(scope.map((p) => p.replace(/[^/]*$/, '') || '.'))];
  const all = dirs.flatMap((d) => {
    try {
      return readdirSync(join(root, d), { recursive: true, encoding: 'utf8' }).map((f) => (d === '.' ? f : `${d.replace(/\/$/, '')}/${f}`));
    } catch { return []; }
  });
  return [...new Set(all)].filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts') && scope.some((p) => f.startsWith(p))).sort();
}

/** Values to try for one tunable, best guesses first: halve, double, the bounds, then seeded draws in range. */
export function valuesFor(t: Tunable, random: () => number, count: number): number[] {
  const fit = (x: number) => (t.integer ? Math.round(x) : Number(x.toPrecision(6)));
  const clamp = (x: number) => Math.min(t.max, Math.max(t.min, fit(x)));
  const out = new Set<number>();
  const guesses = [t.value / 2, t.value * 2, t.min, t.max];
  for (let i = 0; out.size < count && i < count * 8; i++) {
    const x = clamp(i < guesses.length ? guesses[i]! : t.min + random() * (t.max - t.min));
    if (x !== t.value) out.add(x);
  }
  return [...out];
}

export class ParamSearchProposer implements Proposer {
  readonly name = 'param-search';

  constructor(private readonly ts: typeof TS) {}

  async *propose(ctx: ProposeContext): AsyncIterable<Proposal> {
    if (ctx.target.kind !== 'benchmark' || ctx.limit <= 0) return;
    const found: Array<{ t: Tunable; text: string }> = [];
    for (const path of sourcesIn(ctx.root, ctx.target.scope ?? ['src/'])) {
      const text = readFileSync(join(ctx.root, path), 'utf8');
      for (const t of findTunables(this.ts, path, text)) found.push({ t, text });
    }
    if (found.length === 0) return;
    const random = seededRandom(ctx.seed);
    const perTunable = Math.ceil(ctx.limit / found.length);
    const lists = found.map(({ t }) => valuesFor(t, random, perTunable));
    let n = 0;
    for (let round = 0; round < perTunable; round++) {
      for (const [i, { t, text }] of found.entries()) {
        const value = lists[i]![round];
        if (value === undefined) continue;
        if (n++ >= ctx.limit) return;
        yield {
          changes: [{ path: t.path, before: text, after: setTunable(text, t, value) }],
          description: `Set tunable ${t.name} (${t.path}:${t.line}) from ${t.value} to ${value} (range ${t.min}..${t.max})`,
          provenance: { proposer: this.name, operator: 'set-tunable', seed: ctx.seed },
          prior: 1 / (1 + round),
        };
      }
    }
  }
}
