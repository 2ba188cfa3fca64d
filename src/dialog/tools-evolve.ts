// The dialog's tools over the self-improvement loop: start, watch and explain a run, list its candidates,
// stop it and promote what it found. Start, stop and promote change the machine: each has a plan, so the
// dialog shows the exact command and runs it only after a yes (retrieval mode and the chat model alike).
import { z } from 'zod';
import { OsToolError } from './errors.js';
import { fmtEvolveCandidates, fmtEvolveRun, fmtEvolveRuns, fmtEvolveWhy } from './format-evolve.js';
import type { EvolveTools } from './evolve-types.js';
import type { Tool, ToolContext } from './tools.js';

/** The loop's tools, or why the dialog cannot use them. @throws OsToolError when no loop is wired in */
const loop = (c: ToolContext): EvolveTools => {
  if (c.evolve) return c.evolve;
  throw new OsToolError('Cannot use the self-improvement loop: this dialog was started without its archive (dialogos chat and ask wire it in)');
};

const id = (what: string, like: string) => z.string().min(1).max(80).regex(/^[\w.-]+$/, `expected a ${what} id like "${like}" (or its first characters)`);
const runId = id('run', 'r-20261203t163456-11ff1e');
const candidateId = id('candidate', 'c-0123456789abcdef');
const def = <S extends z.ZodType>(t: Tool<S>): Tool => t as unknown as Tool;

export const EVOLVE_TOOLS: Tool[] = [
  def({
    name: 'evolve_start', description: 'Start a self-improvement run on a target within a budget (changes state: asks first)',
    schema: z.strictObject({
      target: z.string().max(300).describe('test:src/x/y.test.ts (fix its failing tests, #name for one), failing (every failing unit test) or bench:NAME (make it faster)'),
      budget: z.string().max(40).describe('N evaluations, Mm wall minutes, or both: "200,30m"'),
    }),
    plan: (a, c) => loop(c).describe({ kind: 'start', target: a.target, budget: a.budget }),
    run: async (a, c) => ({ text: await loop(c).start(a.target, a.budget, c.progress), citations: [] }),
  }),
  def({
    name: 'evolve_status', description: 'How a self-improvement run is going: state, budget spent, candidates per stage, best fitness (default: the latest run)',
    schema: z.strictObject({ run: runId.optional() }),
    run: async (a, c) => fmtEvolveRun(await loop(c).run(a.run)),
  }),
  def({ name: 'evolve_runs', description: 'The self-improvement runs in the archive', schema: z.strictObject({}), run: async (_a, c) => fmtEvolveRuns(await loop(c).runs()) }),
  def({
    name: 'evolve_candidates', description: 'Candidates of the self-improvement loop: id, decision, fitness, proposer, reason',
    schema: z.strictObject({ run: runId.optional(), accepted: z.boolean().default(false), limit: z.number().int().min(1).max(100).default(20) }),
    run: async (a, c) => fmtEvolveCandidates(await loop(c).candidates({ ...(a.run ? { run: a.run } : {}), accepted: a.accepted }), a.limit),
  }),
  def({
    name: 'evolve_why', description: 'Why a candidate was accepted or rejected: the stage (gate) that decided it, every stage with its figures',
    schema: z.strictObject({ candidate: candidateId }),
    run: async (a, c) => fmtEvolveWhy(await loop(c).candidate(a.candidate)),
  }),
  def({
    name: 'evolve_stop', description: 'Stop a running self-improvement run (default: the live one; changes state: asks first)',
    schema: z.strictObject({ run: runId.optional() }),
    plan: (a, c) => loop(c).describe({ kind: 'stop', ...(a.run ? { run: a.run } : {}) }),
    run: async (a, c) => ({ text: await loop(c).stop(a.run), citations: [] }),
  }),
  def({
    name: 'evolve_promote', description: 'Build an accepted candidate into a new signed generation staged with boot tries (changes state: asks first)',
    schema: z.strictObject({ candidate: candidateId, tries: z.number().int().min(1).max(10).default(2) }),
    plan: (a, c) => loop(c).describe({ kind: 'promote', candidate: a.candidate, tries: a.tries }),
    run: async (a, c) => ({ text: await loop(c).promote(a.candidate, a.tries, c.progress), citations: [] }),
  }),
];
