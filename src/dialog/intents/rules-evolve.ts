// Retrieval rules for the self-improvement loop (src/evolve): fix a failing test or make a benchmark faster
// (a run, confirmed first), how the run is going, why a candidate was decided so, the runs and candidates,
// stop the run, promote a candidate. They come before the machine's rules: "stop the run" is no unit.
import { THE, phrase, type Piece } from './pieces.js';
import { need, tool, type Captures, type IntentRule } from './rule.js';

/** The budget a request from the dialog runs with unless it names one: shown in the confirmation. */
export const DIALOG_BUDGET = '200,30m';

const TEST_FILE: Piece = { label: 'test-file', source: String.raw`\`?(?<file>src/[\w@./-]+\.test\.ts)(?:#(?<test>[^\`]+?))?\`?` };
const BUDGET: Piece = { label: 'budget', source: String.raw`(?:\s+(?:with|within|in)\s+(?:a\s+)?(?:budget\s+(?:of\s+)?)?(?<budget>\d+(?:,\d+m)?|\d+m))?` };
const RUN: Piece = { label: 'run', source: String.raw`(?:\s+\`?(?<run>r-[0-9a-z-]+)\`?)?` };
/** A candidate: any id after the word "candidate", else one that looks like a candidate id (c-<hex>). */
const CANDIDATE: Piece = { label: 'candidate', source: String.raw`(?:candidate\s+\`?(?<named>[\w.-]+)\`?|\`?(?<id>c-[0-9a-f]{1,16})\`?)` };
/** A target spec as `dialogos evolve run --target` takes it. */
const SPEC: Piece = { label: 'spec', source: String.raw`(?<spec>test:[\w@./-]+(?:#.+?)?|bench:[\w.-]+|failing)` };
/** What a candidate's decision is called. */
const DECIDED: Piece = { label: 'decided', source: String.raw`(?:been )?(?:rejected|accepted|refused|fail(?:ed)?|pass(?:ed)?|an error)` };
const EVOLVE_RUN: Piece = { label: 'evolve-run', source: String.raw`(?:(?:evolve|self-improvement|evolution)\s+)?run` };

const budget = (c: Captures): string => c.budget ?? DIALOG_BUDGET;
const candidate = (c: Captures): string => c.named ?? need(c, 'id');
const run = (c: Captures): Record<string, string> => (c.run ? { run: c.run } : {});

const start: IntentRule = {
  name: 'evolve.start',
  says: 'starts a self-improvement run: fix a failing test file (or every failing test), make a benchmark faster',
  examples: ['fix the failing test src/gen/canonical.test.ts', 'fix the failing tests in src/gen/canonical.test.ts with budget 50,10m',
    'fix the failing tests', 'make canonical-json faster', 'start an evolve run on bench:mind-tokenize in 20m',
    'evolve test:src/gen/canonical.test.ts', 'evolve test:src/gen/canonical.test.ts#canonicalJson > sorts keys with budget 5'],
  counterExamples: ['fix it', 'make it faster please now', 'fix the failing test gen'],
  patterns: [
    phrase`fix ${THE}failing tests?\s+(?:in\s+|of\s+)?${TEST_FILE}${BUDGET}`,
    phrase`fix ${THE}failing tests${BUDGET}`,
    phrase`make ${THE}(?:benchmark\s+)?(?<bench>[a-z][\w-]*[\w])(?:\s+benchmark)? faster${BUDGET}`,
    phrase`(?:start|run) (?:an?\s+)?${EVOLVE_RUN} (?:on|for) ${SPEC}${BUDGET}`,
    phrase`evolve ${SPEC}${BUDGET}`,
  ],
  make: (c) => {
    const target = c.spec ?? (c.file ? `test:${c.file}${c.test ? `#${c.test}` : ''}` : c.bench ? `bench:${c.bench}` : 'failing');
    return tool('evolve_start', { target, budget: budget(c) });
  },
  help: { topic: 'evolve', text: 'fix the failing test src/gen/canonical.test.ts | make canonical-json faster' },
};

const status: IntentRule = {
  name: 'evolve.status',
  says: 'asks how a self-improvement run is going (state, budget spent, stages, best fitness)',
  examples: ['how is the evolve run going', "how's the run going", 'evolve status', 'watch the evolve run',
    'progress of the run r-20261203t163456-11ff1e', 'is the evolve run done'],
  counterExamples: ['how is the system doing', 'status'],
  patterns: [
    phrase`how(?:'s| is) ${THE}${EVOLVE_RUN}${RUN} (?:going|doing)`,
    phrase`(?:evolve|evolution|self-improvement) (?:status|progress)${RUN}`,
    phrase`(?:watch|show) ${THE}${EVOLVE_RUN}${RUN}`,
    phrase`(?:(?:show|what is) )?${THE}(?:status|progress) of ${THE}${EVOLVE_RUN}${RUN}`,
    phrase`is ${THE}${EVOLVE_RUN}${RUN} (?:done|finished|over|still running)`,
  ],
  make: (c) => tool('evolve_status', run(c)),
  help: { topic: 'evolve', text: 'how is the evolve run going' },
};

const why: IntentRule = {
  name: 'evolve.why',
  says: 'asks why a candidate was rejected or accepted (the stage that decided it, every stage with its figures)',
  examples: ['why was candidate X rejected', 'why was c-0123abcd rejected?', 'why did candidate c-01 fail', 'explain candidate c-0123',
    'why was candidate c-1 accepted'],
  counterExamples: ['why did web fail?', 'explain src/gen'],
  patterns: [
    phrase`why (?:was|is|did|has) ${THE}${CANDIDATE} ${DECIDED}`,
    phrase`(?:explain|why) ${THE}${CANDIDATE}`,
  ],
  make: (c) => tool('evolve_why', { candidate: candidate(c) }),
  help: { topic: 'evolve', text: 'why was candidate X rejected' },
};

const candidates: IntentRule = {
  name: 'evolve.candidates',
  says: 'lists the candidates of the self-improvement loop (of one run, or the accepted ones)',
  examples: ['list candidates', 'candidates', 'which candidates were accepted', 'show the accepted candidates',
    'candidates of run r-20261203t163456-11ff1e', 'evolve ls'],
  patterns: [
    phrase`(?:list\s+|show\s+)?${THE}(?<accepted>accepted )?candidates(?: of ${THE}${EVOLVE_RUN}${RUN})?`,
    phrase`which candidates (?:were|are|got) (?<accepted2>accepted)`,
    phrase`evolve ls`,
  ],
  make: (c) => tool('evolve_candidates', { ...run(c), ...(c.accepted || c.accepted2 ? { accepted: true } : {}) }),
  help: { topic: 'evolve', text: 'list candidates' },
};

const runs: IntentRule = {
  name: 'evolve.runs',
  says: 'lists the self-improvement runs',
  examples: ['evolve runs', 'list the evolve runs', 'which evolve runs are there'],
  counterExamples: ['runs'],
  patterns: [phrase`(?:list\s+|show\s+|which\s+)?${THE}(?:evolve|self-improvement) runs(?: are there)?`],
  make: () => tool('evolve_runs'),
  help: { topic: 'evolve', text: 'evolve runs' },
};

const stop: IntentRule = {
  name: 'evolve.stop',
  says: 'stops the self-improvement run (the live one, or one by id)',
  examples: ['stop the run', 'stop the evolve run', 'stop run r-20261203t163456-11ff1e', 'stop evolving', 'stop the self-improvement loop'],
  counterExamples: ['stop web', 'stop the web service'],
  patterns: [
    phrase`stop ${THE}${EVOLVE_RUN}${RUN}`,
    phrase`stop (?:evolving|${THE}(?:evolve|self-improvement|evolution)(?: loop)?)`,
  ],
  make: (c) => tool('evolve_stop', run(c)),
  help: { topic: 'evolve', text: 'stop the run' },
};

const promote: IntentRule = {
  name: 'evolve.promote',
  says: 'promotes an accepted candidate into a new signed generation staged with boot tries',
  examples: ['promote c-0123abcd', 'promote candidate c-0123 with 3 tries', 'promote the candidate X'],
  counterExamples: ['promote', 'promote web'],
  patterns: [phrase`promote ${THE}${CANDIDATE}(?:\s+with\s+(?<tries>\d{1,2})\s+tries)?`],
  make: (c) => tool('evolve_promote', { candidate: candidate(c), ...(c.tries ? { tries: Number(c.tries) } : {}) }),
  help: { topic: 'evolve', text: 'promote c-0123abcd' },
};

/** In matching order; before OS_RULES (so "stop the run" is no unit named "run"). */
export const EVOLVE_RULES: IntentRule[] = [start, status, why, candidates, runs, stop, promote];
