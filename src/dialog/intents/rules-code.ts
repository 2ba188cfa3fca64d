// Retrieval rules about the code: definitions, callers, tests, modules, files, diffs between
// generations, running tests, and plain search (the last rule: it takes whatever follows "search").
import { MODULE_WORD, SYMBOL_KIND, THE, gen, path, phrase, symbol } from './pieces.js';
import { need, tool, type IntentRule } from './rule.js';

const codeDiff: IntentRule = {
  name: 'code.diff',
  says: 'asks what changed in the code between two generations',
  examples: ['what changed between g1-aaa and g2-bbb?', 'what changed between g1-... and g2-...', 'diff g1 g2',
    'which symbols changed between generations g1 and g2'],
  counterExamples: ['what changed', 'diff g1'],
  patterns: [
    phrase`(?:what|which files?|which symbols?) changed between (?:generations?\s+)?${gen('a')} and ${gen('b')}`,
    phrase`diff\s+${gen('a')}\s+${gen('b')}`,
  ],
  make: (c) => tool('code_diff', { a: c.a, b: c.b }),
  help: { topic: 'code', text: 'what changed between g1-... and g2-...' },
};

const codeDefinition: IntentRule = {
  name: 'code.definition',
  says: 'asks where a symbol is defined',
  examples: ['where is writeGeneration defined?', 'Where is the function `Store.listDir` implemented',
    'in which file is the class Foo written', 'definition of signManifest', 'find foo', 'def foo', 'where is foo'],
  counterExamples: ['where is foo bar', 'where is 1abc defined', 'find signing key'],
  patterns: [
    phrase`(?:where|in which file) is ${THE}${SYMBOL_KIND}${symbol('name')} (?:defined|declared|implemented|written)`,
    phrase`(?:go to )?(?:the )?definition of ${symbol('name')}`,
    phrase`(?:where is|find|def|define) ${symbol('name')}`,
  ],
  make: (c) => tool('code_definition', { name: c.name }),
  help: { topic: 'code', text: 'where is writeGeneration defined?' },
};

const codeCallers: IntentRule = {
  name: 'code.callers',
  says: 'asks who calls a function',
  examples: ['who calls openJournal?', 'what calls runDaemon', 'callers of ensureMachineKey',
    'where is parseManifest() used', 'where is foo called from'],
  counterExamples: ['who calls foo bar'],
  patterns: [
    phrase`(?:who|what) calls ${symbol('name')}`,
    phrase`(?:show\s+)?(?:the\s+)?callers of ${symbol('name')}`,
    phrase`where is ${symbol('name')} (?:called|used)(?: from)?`,
  ],
  make: (c) => tool('code_callers', { name: c.name }),
  help: { topic: 'code', text: 'who calls openJournal?' },
};

const codeTests: IntentRule = {
  name: 'code.tests',
  says: 'asks which tests cover a symbol',
  examples: ['which tests cover parseGenerationId?', 'tests for canonicalJson', 'which tests exercise selectGeneration',
    'is parseManifest tested', 'show the tests for foo'],
  counterExamples: ['run tests gen'],
  patterns: [
    phrase`(?:which|what) tests (?:cover|exercise|test|check) ${symbol('name')}`,
    phrase`(?:show\s+)?(?:the\s+)?tests (?:for|of) ${symbol('name')}`,
    phrase`(?:is|how is) ${symbol('name')} tested`,
  ],
  make: (c) => tool('code_tests', { name: c.name }),
  help: { topic: 'code', text: 'which tests cover parseGenerationId?' },
};

const codeModule: IntentRule = {
  name: 'code.module',
  says: 'asks what a module, file or folder does (its summary, exports and imports)',
  examples: ['what does src/core/journal do?', 'what does the journal do', 'what does module src/gen/canonical.ts do?',
    'describe src/vm/qemu.ts', 'summarise journal', 'what does src/gen depend on'],
  counterExamples: ['what does it all mean'],
  patterns: [
    phrase`what does ${THE}(?:${MODULE_WORD}\s+)?${path('name')}(?:\s+${MODULE_WORD})? do`,
    phrase`(?:describe|explain|summari[sz]e) ${THE}(?:module\s+|file\s+|subsystem\s+)?${path('name')}`,
    phrase`what (?:does|do) ${path('name')} depend on`,
  ],
  make: (c) => ({ kind: 'module', name: need(c, 'name') }),
  help: { topic: 'code', text: 'what does src/core/journal do?' },
};

const codeRead: IntentRule = {
  name: 'code.read',
  says: 'shows lines of a file (path with an extension, optional :from-to)',
  examples: ['show src/gen/store.ts:40-60', 'cat src/x.ts:10', 'open README.md', 'show `package.json`'],
  counterExamples: ['show src/gen', 'show src/gen/store.ts:x'],
  patterns: [phrase`(?:show|read|cat|open)\s+\`?(?<path>[\w./@-]+\.\w+)\`?(?::(?<from>\d+)(?:-(?<to>\d+))?)?`],
  make: (c) => tool('code_read', { path: c.path, from: Number(c.from ?? 1), ...(c.to ? { to: Number(c.to) } : {}) }),
  help: { topic: 'code', text: 'show src/gen/store.ts:40-60' },
};

const runTest: IntentRule = {
  name: 'test.run',
  says: 'runs the tests whose compiled path contains a filter',
  examples: ['run tests gen', 'run the tests for gen/store', 'run test `llm/api`', 'test src/gen'],
  counterExamples: ['run tests', 'run tests gen store'],
  patterns: [phrase`(?:run\s+(?:the\s+)?tests?(?:\s+for)?|test)\s+\`?(?<filter>[\w.\-/]+)\`?`],
  make: (c) => tool('run_test', { filter: c.filter }),
  help: { topic: 'machine', text: 'run tests gen  (long: shows progress)' },
};

const codeSearch: IntentRule = {
  name: 'code.search',
  says: 'searches the code index for words (BM25); quotes around them are dropped',
  examples: ['search signing key', 'search for \'foo bar\'', 'grep `x`', 'look for backoff', 'find signing key'],
  counterExamples: ['search', 'find'],
  patterns: [phrase`(?:search|find|grep|look for)\s+(?:for\s+)?(?<query>.+)`],
  make: (c) => tool('code_search', { query: need(c, 'query').replace(/^["'`]|["'`]$/g, ''), k: 5 }),
  help: { topic: 'code', text: 'search signing key' },
};

/** In matching order; code.search stays last, it takes any words after "search" or "find". */
export const CODE_RULES: IntentRule[] = [
  codeDiff, codeDefinition, codeCallers, codeTests, codeModule, codeRead, runTest, codeSearch,
];
