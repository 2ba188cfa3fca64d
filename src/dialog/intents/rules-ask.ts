// Retrieval rules for the questions people ask of a machine in their own words: why something (not
// only a unit) failed, what changed since a time, what is slow. They map onto the journal, the
// generation store with its code diffs, and the benchmarks' recorded figures.
import { BROKEN, THE, phrase, type Piece } from './pieces.js';
import { need, type IntentRule } from './rule.js';

/** A time to reach back to: "yesterday", "last week", "3 days", "an hour ago". */
const SINCE: Piece = {
  label: 'since',
  source: String.raw`(?<since>yesterday|today|this morning|last (?:night|week|month)|(?:\d+|an?|one|two|three|a few) (?:hours?|days?|weeks?)(?: ago)?)`,
};

const whyJournal: IntentRule = {
  name: 'why.journal',
  says: 'asks why something that is not one unit name failed (journal lines that mention it, warnings first)',
  examples: ['why did the image build fail?', 'why does the nightly image build keep failing', 'why is the api server down'],
  counterExamples: ['why did the service web stop', 'why'],
  patterns: [phrase`why (?:did|does|is|has) ${THE}(?<what>[\w.-]+(?: [\w.-]+){1,4}?) ${BROKEN}`],
  make: (c) => ({ kind: 'why-journal', what: need(c, 'what') }),
  help: { topic: 'machine', text: 'why did the image build fail?' },
};

const changesSince: IntentRule = {
  name: 'changes.since',
  says: 'asks what changed since a time (generations added, the code diff of the newest, warnings in the journal)',
  examples: ['what changed since yesterday?', "what's changed since last week", 'what has changed in the last 3 days',
    'what changed today', "what's new since yesterday", 'recent changes'],
  counterExamples: ['what changed', 'what changed between g1 and'],
  patterns: [
    phrase`what(?:'s| has| have)? changed (?:since|in the (?:last|past)) ${SINCE}`,
    phrase`what(?:'s| has)? changed (?<since>today|yesterday|recently|lately)`,
    phrase`what(?:'s| is) new(?: since ${SINCE})?`,
    phrase`(?<since>recent) changes`,
  ],
  make: (c) => ({ kind: 'changes', since: need(c, 'since').toLowerCase() }),
  help: { topic: 'machine', text: 'what changed since yesterday?' },
};

const slow: IntentRule = {
  name: 'slow',
  says: 'asks what is slow (the benchmarks\' recorded figures, largest first, and journal lines about slowness)',
  examples: ['what is slow?', "what's slow", 'what is the slowest part', 'which part is slowest', 'where is the time spent',
    'is anything slow'],
  counterExamples: ['slow', 'what is slow about web and db and the rest'],
  patterns: [
    phrase`what(?:'s| is| are) (?:the )?slow(?:est)?(?: (?:part|thing|step)s?)?`,
    phrase`which (?:part|step|service|subsystem|test)s? (?:is|are) (?:the )?slow(?:est)?`,
    phrase`where is (?:the|all the) time (?:spent|going)`,
    phrase`is (?:anything|something) slow`,
  ],
  make: () => ({ kind: 'slow' }),
  help: { topic: 'machine', text: 'what is slow?' },
};

/** After `why` (which takes one unit name) and before the code rules. */
export const ASK_RULES: IntentRule[] = [whyJournal, changesSince, slow];
