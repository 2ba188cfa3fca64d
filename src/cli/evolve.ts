// NAME
//   dialogos evolve - the self-improvement loop: run it, watch it, explain it, promote what it found
//
// SYNOPSIS
//   dialogos evolve run --target SPEC --budget N[,Mm] [--proposer NAME]... [--seed N] [--source DIR]
//   dialogos evolve run --resume RUN
//   dialogos evolve status [RUN] | ls [--run RUN] [--accepted] | show ID | diff ID | why ID
//   dialogos evolve plot RUN --out FILE.svg
//   dialogos evolve promote CANDIDATE [--tries N] [--owner-approved] [--store DIR|--image FILE] [--key FILE]
//   (every subcommand: [--archive DIR] [--json])
//
// DESCRIPTION
//   run asks the proposers for changes to the source tree, judges each with the evaluator cascade (which
//   the candidates cannot touch) and records every candidate in the archive, until the budget is spent,
//   the target is met or nothing new is proposed. The budget is given here only and recorded in the run.
//
// EXIT STATUS
//   0 ok (run: target met), 1 failed, 2 usage error (bad target, budget or id), 3 not found (run: budget
//   spent or proposers exhausted without meeting the target)
import { InvalidArgumentError, type Command } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { openArchive, parseBudget, progressLine, resolveTarget, runLoop, unifiedDiffAll, type Archive } from '../evolve/index.js';
import { fail, json, processIo, usageExit2, type CliIo } from './api-common.js';
import { realParts, type EvolveParts, type RunnerKind } from './evolve-compose.js';
import { fmtCandidate, fmtList, fmtRun, fmtWhy } from './evolve-format.js';
import { plotSvg } from './evolve-plot.js';
import { fmtPromotions, promotionView } from './evolve-outcome.js';
import { promote } from './evolve-promote.js';
import { runningSourceRoot } from './gen-build.js';
import { openStoreTarget } from './store-target.js';

export interface EvolveOpts {
  archive?: string; json?: boolean; target?: string; budget?: string; proposer?: string[]; seed?: number; source?: string;
  resume?: string; runner?: string; run?: string; accepted?: boolean; out?: string; tries?: number; ownerApproved?: boolean;
  store?: string; image?: string; key?: string;
}

/** The archive folder: --archive, $DIALOGOS_STATE/evolve, /data/dialogos/evolve on the machine, else ~/.cache. */
export function archiveDir(o: EvolveOpts, env: NodeJS.ProcessEnv): string {
  if (o.archive) return resolve(o.archive);
  if (env.DIALOGOS_STATE) return join(resolve(env.DIALOGOS_STATE), 'evolve');
  if (existsSync('/data/dialogos')) return '/data/dialogos/evolve';
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'dialogos', 'evolve');
}

const USAGE = new Set(['UnknownProposerError', 'InvalidBudgetError', 'InvalidTargetError', 'InvalidRunError', 'InvalidArchiveIdError', 'UsageError']);
const exitOf = (err: unknown): number => {
  const n = (err as Error).name;
  if (USAGE.has(n)) return 2;
  if (n === 'ArchiveNotFoundError') return 3;
  return 1;
};

const reader = (o: EvolveOpts, io: CliIo): Archive => {
  const dir = archiveDir(o, io.env);
  if (!existsSync(join(dir, 'index.jsonl'))) {
    const why = 'it has no index.jsonl (no run was recorded there; give --archive DIR)';
    throw Object.assign(new Error(`Cannot read archive "${dir}": ${why}`), { name: 'ArchiveNotFoundError' });
  }
  return openArchive(dir, { readOnly: true });
};

/** The pid in the archive's lock file, when there is one. */
const lockHolder = (a: Archive): number | null => {
  try {
    const pid = (JSON.parse(readFileSync(join(a.dir, 'lock'), 'utf8')) as { pid?: number }).pid ?? null;
    if (pid) process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
};

const runnerKind = (v: string | undefined): RunnerKind => {
  if (v === undefined || v === 'sandbox' || v === 'local') return v ?? 'sandbox';
  throw Object.assign(new Error(`Cannot use --runner "${v}": give sandbox (isolated, needs root) or local (no isolation)`), { name: 'UsageError' });
};

async function runBody(o: EvolveOpts, io: CliIo, parts: EvolveParts): Promise<number> {
  const root = resolve(o.source ?? runningSourceRoot());
  const fresh = !o.resume;
  if (fresh && (!o.target || o.budget === undefined)) throw Object.assign(new Error('Cannot start a run: give --target SPEC and --budget N[,Mm] (or --resume RUN)'), { name: 'UsageError' });
  const budget = fresh ? parseBudget(o.budget!) : undefined;
  const [proposers, evaluate] = [await parts.proposers(root, o.proposer), await parts.evaluator(root, runnerKind(o.runner))];
  const target = fresh ? await resolveTarget(o.target!, parts.failing(root), parts.benchmarks?.(root)) : undefined;
  const archive = openArchive(archiveDir(o, io.env));
  try {
    const localise = parts.localise ? await parts.localise(root) : undefined;
    const tools = parts.tools(root);
    const run = await runLoop({
      archive, root, proposers, evaluate, tools, seed: o.seed ?? 1, base: tools.treeDigest ? `tree-${tools.treeDigest.slice(0, 12)}` : 'tree',
      ...(fresh ? { spec: o.target!, target: target!, budget: { ...budget! } } : { resume: o.resume! }),
      ...(localise ? { localise } : {}), ts: await import('typescript'),
      progress: (l) => io.err(`${l}\n`), progressEveryMs: 30_000,
    });
    io.out(o.json ? json(run) : fmtRun(run));
    return run.status === 'met' ? 0 : 3;
  } finally {
    archive.close();
  }
}

type Body = (args: string[], o: EvolveOpts, io: CliIo, parts: EvolveParts) => Promise<number>;

const candidateOf = (a: Archive, id: string) => {
  const r = a.resolve(id);
  if (r.kind !== 'candidate') throw Object.assign(new Error(`Cannot show "${id}" as a candidate: it is run "${r.id}"`), { name: 'UsageError' });
  return a.getCandidate(r.id);
};

const BODIES: Record<string, Body> = {
  run: (_a, o, io, parts) => runBody(o, io, parts),
  status: async ([id], o, io) => {
    const a = reader(o, io);
    const runs = a.runs();
    const run = id ? a.getRun(a.resolve(id).id) : runs.at(-1);
    if (!run) { io.err('dialogos evolve status: the archive has no run yet\n'); return 3; }
    const promoted = [...(await promotionView(a, o, io.env)).values()].filter((p) => a.getCandidate(p.candidate).run === run.id);
    io.out(o.json ? json({ ...run, promotions: promoted }) : fmtRun(run, run.status === 'running' ? lockHolder(a) : null));
    if (!o.json) io.out(fmtPromotions(new Map(promoted.map((p) => [p.candidate, p]))));
    if (!o.json && run.status === 'running') io.out(`${progressLine(run)}\n`);
    return 0;
  },
  ls: async (_a, o, io) => {
    const a = reader(o, io);
    const recs = a.candidates(o.run && a.resolve(o.run).id).filter((e) => !o.accepted || e.decision === 'accepted').map((e) => a.getCandidate(e.id));
    if (!recs.length) { io.err('dialogos evolve ls: no candidate matches\n'); return 3; }
    io.out(o.json ? json(recs.map(({ changes: _c, diff: _d, ...r }) => r)) : fmtList(recs));
    return 0;
  },
  show: async ([id], o, io) => {
    const a = reader(o, io);
    const r = a.resolve(id!);
    if (r.kind === 'run') { io.out(o.json ? json(a.getRun(r.id)) : fmtRun(a.getRun(r.id))); return 0; }
    const promotion = (await promotionView(a, o, io.env)).get(r.id) ?? null;
    io.out(o.json ? json({ ...a.getCandidate(r.id), promotion }) : fmtCandidate(a.getCandidate(r.id)) + fmtPromotions(new Map(promotion ? [[r.id, promotion]] : [])));
    return 0;
  },
  diff: async ([id], o, io) => {
    const rec = candidateOf(reader(o, io), id!);
    io.out(o.json ? json(rec.changes) : rec.diff || unifiedDiffAll(rec.changes));
    return 0;
  },
  why: async ([id], o, io) => {
    const rec = candidateOf(reader(o, io), id!);
    io.out(o.json ? json({ id: rec.id, decision: rec.decision, reason: rec.reason, stages: rec.stages, logs: rec.logs }) : fmtWhy(rec));
    return 0;
  },
  plot: async ([id], o, io) => {
    const a = reader(o, io);
    const run = a.getRun(a.resolve(id!).id);
    if (!o.out) throw Object.assign(new Error('Cannot plot: give --out FILE.svg'), { name: 'UsageError' });
    writeFileSync(o.out, plotSvg(run, a.candidates(run.id).map((e) => a.getCandidate(e.id))));
    io.out(o.json ? json({ run: run.id, out: o.out }) : `wrote ${o.out}\n`);
    return 0;
  },
  promote: async ([id], o, io) => {
    reader(o, io).close(); // the archive exists (a clear error when not); promotion appends to its ledger
    const a = openArchive(archiveDir(o, io.env));
    try {
      return await promoteBody(a, id!, o, io);
    } finally {
      a.close();
    }
  },
};

async function promoteBody(a: Archive, id: string, o: EvolveOpts, io: CliIo): Promise<number> {
  const target = openStoreTarget({ ...(o.store ? { store: o.store } : {}), ...(o.image ? { image: o.image } : {}), env: io.env });
  const r = await promote(a, id, target, {
    tries: o.tries ?? 2, ownerApproved: o.ownerApproved ?? false, argv: ['evolve', 'promote', id],
    ...(o.source ? { source: o.source } : {}), ...(o.key ? { key: o.key } : {}), log: (l) => io.err(`${l}\n`),
  });
  io.out(o.json ? json(r) : `promoted ${r.candidate} as generation ${r.id} (version ${r.version}), staged with ${r.staged} tries; provenance ${r.provenance}\n`);
  return 0;
}

const HELP = `
TARGETS
  test:<file>[#name]  the failing tests of one test file (or the one named): src/x/y.test.ts#suite > test
  failing             the failing tests of a unit run
  bench:<name>        make a benchmark faster (canonical-json, mind-tokenize): pass-to-pass tests, then ABBA

BUDGET
  N evaluations, Mm wall minutes, or both: 200,30m (the run stops at the first spent). Counted over the
  whole run, resumes included; recorded in the run; nothing the loop runs can raise it.

ARCHIVE
  --archive DIR (default $DIALOGOS_STATE/evolve, /data/dialogos/evolve on the machine, ~/.cache/dialogos/evolve
  on a build host) holds every candidate by its content address, with its parent, diff, proposer and model,
  tool versions, every stage, and the decision; one writer at a time.

EXIT STATUS
  0  ok (run: the target was met)
  1  the operation failed (a part of the loop is missing, the archive is locked by another run)
  2  usage error (unknown target, empty or zero budget, bad id)
  3  not found (unknown id; run: budget spent or nothing new proposed without meeting the target)`;

const whole = (v: string): number => {
  if (!/^\d{1,9}$/.test(v)) throw new InvalidArgumentError(`expected a whole number, got "${v}"`);
  return Number(v);
};
const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerEvolve(program: Command, io: CliIo = processIo, parts: EvolveParts = realParts): void {
  const evolve = usageExit2(program.command('evolve').description('the self-improvement loop: run, watch, explain and promote changes to this OS\'s own code'));
  evolve.addHelpText('after', HELP);
  const sub = (spec: string, what: string) => usageExit2(evolve.command(spec).description(what)
    .option('--archive <dir>', 'the archive folder').option('--json', 'print JSON'));
  const act = (name: string) => async (...a: unknown[]) => {
    const o = a[a.length - 2] as EvolveOpts;
    const args = a.slice(0, -2).filter((x): x is string => typeof x === 'string');
    try {
      process.exitCode = await BODIES[name]!(args, o, io, parts);
    } catch (err) {
      fail(io, `evolve ${name}`, o, err);
      process.exitCode = exitOf(err);
    }
  };
  sub('run', 'propose, judge and record changes until the budget or the target').option('--target <spec>', 'test:<file>[#name], failing or bench:<name>')
    .option('--budget <spec>', 'evaluations and/or minutes: 200,30m').option('--proposer <name>', 'use this proposer (repeatable; default all)', collect)
    .option('--seed <n>', 'the run\'s seed', whole).option('--source <dir>', 'the tree to improve (default: this program\'s)')
    .option('--runner <kind>', 'sandbox (default: isolated, needs root) or local (child processes, no isolation)')
    .option('--resume <run>', 'resume a run that was killed (its target and budget are the recorded ones)').action(act('run'));
  sub('status [run]', 'the latest run (or RUN): state, counts per stage, best fitness').action(act('status'));
  sub('ls', 'the candidates: id, decision, fitness, parent, proposer, reason').option('--run <run>', 'of one run').option('--accepted', 'accepted ones only').action(act('ls'));
  sub('show <id>', 'a candidate (or run) record').action(act('show'));
  sub('diff <candidate>', 'the unified diff of a candidate').action(act('diff'));
  sub('why <candidate>', 'every stage the candidate went through and the reason for its decision').action(act('why'));
  sub('plot <run>', 'an SVG of fitness over evaluations and the lineage tree').option('--out <file>', 'the SVG file to write').action(act('plot'));
  sub('promote <candidate>', 'build an accepted candidate into a new signed generation, staged with tries')
    .option('--tries <n>', 'boot tries of the staged generation (default 2)', whole).option('--owner-approved', 'the owner approves a change to protected paths')
    .option('--store <dir>', 'the generation store (default: this machine\'s)').option('--image <file>', 'the data partition of a disk image')
    .option('--key <file>', 'the signing key').option('--source <dir>', 'the source tree the candidate applies to').action(act('promote'));
}
