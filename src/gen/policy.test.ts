import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GenerationCorruptError, GenerationMissingError, SignatureInvalidError, UntrustedKeyError } from './errors.js';
import { selectGeneration, type BootDecision } from './policy.js';
import { initialState } from './state.js';
import type { GenerationRecord, StoreState } from './types.js';

const id = (v: number): string => `g${v}-${String(v).padStart(12, '0')}`;
const rec = (version: number, r: Partial<GenerationRecord> = {}): GenerationRecord => ({
  version, status: 'good', triesLeft: 0, priority: 0, pinned: false, recovery: false,
  addedAt: 't', blessedAt: r.status === 'staged' || r.status === 'bad' ? null : 't', badReason: r.status === 'bad' ? 'x' : null, ...r,
});
function state(gens: Record<number, Partial<GenerationRecord>>, extra: Partial<StoreState> = {}): StoreState {
  const s = initialState();
  for (const [v, r] of Object.entries(gens)) s.generations[id(Number(v))] = rec(Number(v), r);
  return { ...s, ...extra };
}
const ok = async (): Promise<null> => null;
const failing = (fails: Record<string, Error>) => async (x: string): Promise<Error | null> => fails[x] ?? null;

interface Row {
  name: string;
  state: StoreState;
  menuPick?: string;
  forcedId?: string;
  fails?: Record<string, Error>;
  expect: Partial<BootDecision> | 'none';
}

const rows: Row[] = [
  { name: 'default good generation', state: state({ 1: {}, 2: {} }, { default: id(1) }), expect: { id: id(1), reason: 'default', attempt: 0 } },
  { name: 'no default: highest priority good', state: state({ 1: { priority: 5 }, 2: {} }), expect: { id: id(1), reason: 'fallback' } },
  { name: 'no default, equal priority: newest version', state: state({ 1: {}, 3: {}, 2: {} }), expect: { id: id(3), reason: 'fallback' } },
  { name: 'oneShot beats default', state: state({ 1: {}, 2: {} }, { default: id(1), oneShot: id(2) }), expect: { id: id(2), reason: 'oneshot' } },
  { name: 'menu beats oneShot', state: state({ 1: {}, 2: {}, 3: {} }, { default: id(1), oneShot: id(2) }), menuPick: id(3), expect: { id: id(3), reason: 'menu' } },
  { name: 'kexec beats menu', state: state({ 1: {}, 2: {} }, { default: id(1) }), menuPick: id(1), forcedId: id(2), expect: { id: id(2), reason: 'kexec' } },
  {
    name: 'kexec of a staged generation whose last try was spent before the jump',
    state: state({ 1: {}, 2: { status: 'staged', triesLeft: 0 } }, { default: id(2) }), forcedId: id(2),
    expect: { id: id(2), reason: 'kexec', markBad: [] },
  },
  {
    name: 'staged default with tries: attempt counted from history',
    state: state({ 1: {}, 2: { status: 'staged', triesLeft: 2 } }, {
      default: id(2), history: [{ id: id(2), at: 't', reason: 'default', attempt: 1, fallbackFrom: null, fallbackReason: null }],
    }),
    expect: { id: id(2), reason: 'default', attempt: 2 },
  },
  {
    name: 'staged default with no tries: marked bad, fall back',
    state: state({ 1: {}, 2: { status: 'staged', triesLeft: 0 } }, { default: id(2) }),
    expect: { id: id(1), reason: 'fallback', markBad: [{ id: id(2), reason: 'tries exhausted' }], fallbacks: [{ id: id(2), reason: 'tries exhausted' }] },
  },
  {
    name: 'staged but blessed earlier: no tries needed',
    state: state({ 2: { status: 'staged', triesLeft: 0, blessedAt: 't' } }, { default: id(2) }),
    expect: { id: id(2), reason: 'default', attempt: 0, markBad: [] },
  },
  { name: 'bad default skipped', state: state({ 1: {}, 2: { status: 'bad' } }, { default: id(2) }), expect: { id: id(1), reason: 'fallback', markBad: [] } },
  { name: 'bad menu pick skipped', state: state({ 1: {}, 2: { status: 'bad' } }, { default: id(1) }), menuPick: id(2), expect: { id: id(1), reason: 'default' } },
  {
    name: 'below floor skipped',
    state: state({ 1: {}, 5: {} }, { default: id(1), floor: 3 }),
    expect: { id: id(5), reason: 'fallback', fallbacks: [{ id: id(1), reason: 'version 1 is below the anti-rollback floor 3' }] },
  },
  { name: 'unknown default skipped', state: state({ 1: {} }, { default: id(9) }), expect: { id: id(1), fallbacks: [{ id: id(9), reason: 'not in the store' }] } },
  {
    name: 'corrupt default: fallback, marked bad, no try of anything else spent',
    state: state({ 1: {}, 2: { status: 'staged', triesLeft: 3 } }, { default: id(2) }),
    fails: { [id(2)]: new GenerationCorruptError('file "x" has sha256 0') },
    expect: {
      id: id(1), reason: 'fallback', attempt: 0, markBad: [{ id: id(2), reason: 'verification failed: file "x" has sha256 0' }],
      fallbacks: [{ id: id(2), reason: 'file "x" has sha256 0' }],
    },
  },
  {
    name: 'bad signature: marked bad',
    state: state({ 1: {}, 2: {} }, { default: id(2) }),
    fails: { [id(2)]: new SignatureInvalidError('sig') },
    expect: { id: id(1), markBad: [{ id: id(2), reason: 'verification failed: sig' }] },
  },
  {
    name: 'untrusted key: skipped, not marked bad',
    state: state({ 1: {}, 2: {} }, { default: id(2) }),
    fails: { [id(2)]: new UntrustedKeyError('who') },
    expect: { id: id(1), markBad: [], fallbacks: [{ id: id(2), reason: 'who' }] },
  },
  {
    name: 'missing directory: skipped, not marked bad',
    state: state({ 1: {}, 2: {} }, { default: id(2) }),
    fails: { [id(2)]: new GenerationMissingError('gone') },
    expect: { id: id(1), markBad: [] },
  },
  {
    name: 'every normal generation bad: recovery',
    state: state({ 1: { recovery: true, pinned: true }, 2: { status: 'bad' }, 3: { status: 'staged', triesLeft: 0 } }, { default: id(3) }),
    fails: { [id(1)]: new Error('not reached') },
    expect: 'none',
  },
  {
    name: 'all good ones fail verification: recovery below the floor boots',
    state: state({ 1: { recovery: true, pinned: true }, 5: {}, 6: {} }, { default: id(6), floor: 5 }),
    fails: { [id(5)]: new GenerationCorruptError('c5'), [id(6)]: new GenerationCorruptError('c6') },
    expect: { id: id(1), reason: 'recovery', attempt: 0 },
  },
  {
    name: 'recovery marked bad still boots as the last resort',
    state: state({ 1: { recovery: true, status: 'bad' }, 2: { status: 'bad' } }, { default: id(2) }),
    expect: { id: id(1), reason: 'recovery' },
  },
  { name: 'recovery that fails verification: nothing', state: state({ 1: { recovery: true } }, { default: id(1) }), fails: { [id(1)]: new GenerationCorruptError('c') }, expect: 'none' },
  { name: 'empty store: nothing', state: initialState(), expect: 'none' },
  { name: 'a rejected verify promise counts as a failure', state: state({ 1: {}, 2: {} }, { default: id(2) }), fails: {}, expect: { id: id(2) } },
];
// The recovery row above with a working recovery generation.
rows[18] = { ...rows[18]!, fails: {}, expect: { id: id(1), reason: 'recovery', markBad: [{ id: id(3), reason: 'tries exhausted' }] } };

describe('selectGeneration (table)', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const run = selectGeneration(row.state, { menuPick: row.menuPick ?? null, forcedId: row.forcedId ?? null, verify: row.fails ? failing(row.fails) : ok });
      if (row.expect === 'none') {
        await assert.rejects(run, { name: 'NoBootableGenerationError' });
        return;
      }
      const d = await run;
      for (const [k, v] of Object.entries(row.expect)) assert.deepEqual(d[k as keyof BootDecision], v, `${k} of ${JSON.stringify(d)}`);
    });
  }
  it('treats a verifier that throws like one that reports a failure', async () => {
    const d = await selectGeneration(state({ 1: {}, 2: {} }, { default: id(2) }), {
      verify: async (x) => { if (x === id(2)) throw new Error('io'); return null; },
    });
    assert.equal(d.id, id(1));
    assert.deepEqual(d.fallbacks, [{ id: id(2), reason: 'io' }]);
  });
  it('reports every candidate passed over when nothing boots', async () => {
    await assert.rejects(selectGeneration(state({ 1: { status: 'bad' } }, { default: id(1) }), { verify: ok }),
      (e: Error & { fallbacks?: unknown[] }) => e.fallbacks?.length === 1 && /"g1-/.test(e.message));
  });
  it('never calls verify for refused candidates', async () => {
    const seen: string[] = [];
    await selectGeneration(state({ 1: {}, 2: { status: 'bad' }, 3: { status: 'staged', triesLeft: 0 } }, { default: id(3), floor: 0 }), {
      verify: async (x) => (seen.push(x), null),
    });
    assert.deepEqual(seen, [id(1)]);
  });
});

describe('selectGeneration (property)', () => {
  const genRecord = fc.record({
    version: fc.integer({ min: 0, max: 20 }),
    status: fc.constantFrom('staged' as const, 'good' as const, 'bad' as const),
    triesLeft: fc.integer({ min: 0, max: 3 }),
    priority: fc.integer({ min: -2, max: 2 }),
    recovery: fc.boolean(),
    blessed: fc.boolean(),
    verifies: fc.boolean(),
    permanent: fc.boolean(),
  });
  it('picks a verified generation that is not bad and not below the floor unless it is the recovery', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(genRecord, { selector: (r) => r.version, maxLength: 7 }),
      fc.integer({ min: 0, max: 20 }),
      fc.array(fc.nat({ max: 25 }), { minLength: 4, maxLength: 4 }),
      async (recs, floor, [d, o, m, f]) => {
        const s = initialState();
        s.floor = floor;
        let sawRecovery = false;
        for (const r of recs) {
          const recovery: boolean = r.recovery && !sawRecovery;
          sawRecovery ||= recovery;
          s.generations[id(r.version)] = { ...rec(r.version, { status: r.status, triesLeft: r.triesLeft, priority: r.priority, recovery, pinned: recovery }), blessedAt: r.blessed ? 't' : null };
        }
        const pickId = (n: number | undefined): string | null => (n !== undefined && n < 21 ? id(n) : null);
        s.default = pickId(d);
        s.oneShot = pickId(o);
        const verified = new Set<string>();
        const verify = async (x: string): Promise<Error | null> => {
          const r = recs.find((q) => id(q.version) === x);
          if (r && !r.verifies) return r.permanent ? new GenerationCorruptError('bad') : new UntrustedKeyError('key');
          verified.add(x);
          return null;
        };
        let decision: BootDecision;
        try {
          decision = await selectGeneration(s, { verify, menuPick: pickId(m), forcedId: pickId(f) });
        } catch (e) {
          assert.equal((e as Error).name, 'NoBootableGenerationError');
          // Nothing bootable must really mean nothing: no good, verifying, at-or-above-floor one.
          for (const r of recs) assert.ok(!(r.status === 'good' && r.verifies && (r.version >= floor || s.generations[id(r.version)]!.recovery)), `missed ${id(r.version)}`);
          return;
        }
        const r = s.generations[decision.id]!;
        assert.ok(verified.has(decision.id), 'not verified');
        if (decision.reason === 'recovery') assert.equal(r.recovery, true);
        else assert.notEqual(r.status, 'bad');
        if (!r.recovery) assert.ok(r.version >= floor, 'below floor');
        assert.ok(!decision.markBad.some((b) => b.id === decision.id), 'marks its own choice bad');
        for (const b of decision.markBad) assert.notEqual(s.generations[b.id]?.status, 'bad');
      },
    ), { numRuns: 1500 });
  });
});
