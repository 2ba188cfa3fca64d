// Public face of the proposers (issue 10 item 4): mutation operators, fix templates, statement copy,
// identifier swaps, naturalness ranking by a local scorer, and a chat model over an OpenAI-compatible API.
// Every proposer yields whole-file changes that parse, near-duplicates dropped.
export { applyEdit, parses, NearDuplicates, type Edit, type EditIdea } from './edit.js';
export { MUTATION_OPERATORS, DEFECT_ONLY_OPERATORS, type Operator } from './operators.js';
export { mutationSites, lineAfter, type Site } from './sites.js';
export { mutationProposer, type MutationOptions } from './mutation.js';
export { templateProposer, FIX_TEMPLATES } from './templates.js';
export { copyProposer, type CopyOptions } from './copy.js';
export { identifierProposer } from './identifiers.js';
export { rankedProposer, memoSpans, naturalness, modelSpanScorer, ngramSpanScorer, trainNgram, changedLines, type SpanScorer, type RankOptions } from './rank.js';
export { combinedProposer } from './combined.js';
export { fixRanking, type FixRankingReport, type RankableDefect } from './fix-ranking.js';
export { chatProposer, EDITS_SCHEMA, type ChatOptions, type ChatStats, type ChatEdit } from './chat.js';
export { ChatRequestError } from './errors.js';
