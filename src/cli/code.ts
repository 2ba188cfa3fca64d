// NAME
//   dialogos code - ask the code index: definitions, references, callers, modules, tests, search
//
// SYNOPSIS
//   dialogos code index|def|refs|callers|callees|module|tests|search|map|read|diff ... [--source DIR]
//                 [--state DIR] [--json]
//
// DESCRIPTION
//   Indexes a generation's source with the TypeScript compiler (symbols, references, call and import
//   graphs, tests, docs, BM25) and answers with cited path:line. Each command first brings the saved
//   index up to date (only changed files and their importers are re-analysed).
//
// EXIT STATUS
//   0 ok, 1 failed, 2 usage error, 3 nothing found
import { InvalidArgumentError, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { isGenerationId, storeLayout } from '../gen/index.js';
import { openIndex, defaultStateDir, type CodeIndex } from '../mind/index.js';
import { EXIT, fail, json, processIo, usageExit2, type CliIo } from './api-common.js';
import { fmtCalls, fmtDefs, fmtDiff, fmtIndex, fmtModule, fmtRefs, fmtSearch, fmtTests } from './code-format.js';

export interface CodeOpts { source?: string; state?: string; json?: boolean; limit?: number; k?: number; kind?: string[]; store?: string; chars?: number }

/** A diff side: a directory, or a generation id in the store (its tree). */
export function treeOf(side: string, opts: CodeOpts, env: NodeJS.ProcessEnv): string {
  if (existsSync(side) || !isGenerationId(side)) return side;
  return storeLayout(opts.store ?? env.DIALOGOS_STORE ?? '/data/dialogos').tree(side);
}

const COMMON = `OPTIONS (every subcommand)
  --source DIR   the source tree (default: the tree this dialogos runs from: /dialogos in the OS,
                 the repository on a build host)
  --state DIR    keep the index in DIR/mind (default: $DIALOGOS_STATE/mind, /data/dialogos/mind on the
                 machine, ~/.cache/dialogos/mind on a build host)
  --json         print JSON

NAMES
  A symbol is named by its name (listDir), qualified name (Store.listDir) or id
  (src/gen/store.ts#Store.listDir). A name shared by several symbols means all of them; def also
  finds by sub-words (bootCount finds parseBootCountName).

EXIT STATUS
  0  ok
  1  the operation failed (unreadable tree, unwritable state dir, no TypeScript compiler)
  2  usage error (unknown option, bad value, bad source tree)
  3  nothing found`;

const num = (v: string): number => {
  if (!/^\d{1,6}$/.test(v)) throw new InvalidArgumentError(`expected a whole number, got "${v}"`);
  return Number(v);
};

const KINDS = ['symbol', 'module', 'doc', 'text'];
const kind = (v: string, prev: string[] = []): string[] => {
  if (!KINDS.includes(v)) throw new InvalidArgumentError(`expected one of ${KINDS.join(', ')}, got "${v}"`);
  return [...prev, v];
};

const codeExit = (err: unknown): number => {
  const n = (err as Error).name;
  if (n === 'MindNotFoundError') return EXIT.notFound;
  if (n === 'MindQueryError' || n === 'SourceRootError' || n === 'UsageError') return EXIT.usage;
  return EXIT.failed;
};

async function open(opts: CodeOpts, io: CliIo, source = opts.source) {
  return openIndex({ ...(source ? { source } : {}), mindDir: defaultStateDir(opts.state, io.env) });
}

/** Prints a list (text or JSON) and returns 3 when it is empty. */
function list<T>(io: CliIo, opts: CodeOpts, items: T[], text: (items: T[]) => string, what: string): number {
  if (opts.json) io.out(json(items));
  else if (items.length) io.out(text(items));
  else io.err(`dialogos code: ${what}\n`);
  return items.length ? EXIT.ok : EXIT.notFound;
}

type Body = (ix: CodeIndex, args: string[], opts: CodeOpts, io: CliIo) => Promise<number> | number;

const BODIES: Record<string, Body> = {
  def: (ix, [name], o, io) => list(io, o, ix.definitions(name!, { limit: o.limit ?? 10 }), fmtDefs, `no symbol named "${name}"; try "dialogos code search ${name}"`),
  refs: (ix, [name], o, io) => list(io, o, ix.references(name!), (r) => fmtRefs(ix, r), `no references to "${name}"`),
  callers: (ix, [name], o, io) => list(io, o, ix.callers(name!), (r) => fmtCalls(ix, r, 'caller'), `nothing calls "${name}"`),
  callees: (ix, [name], o, io) => list(io, o, ix.callees(name!), (r) => fmtCalls(ix, r, 'callee'), `"${name}" calls nothing in the index`),
  tests: (ix, [name], o, io) => list(io, o, ix.testsFor(name!), fmtTests, `no test file reaches "${name}"`),
  search: (ix, words, o, io) => list(io, o, ix.search(words.join(' '), { k: o.k ?? 10, ...(o.kind ? { kinds: o.kind as never } : {}) }), fmtSearch, `nothing matches "${words.join(' ')}"`),
  module: (ix, [path], o, io) => {
    const m = ix.moduleInfo(path!);
    if (!m) { io.err(`dialogos code: no file "${path}" in the index of ${ix.root} (paths are relative to it)\n`); return EXIT.notFound; }
    io.out(o.json ? json(m) : fmtModule(m));
    return EXIT.ok;
  },
  map: (ix, words, o, io) => {
    const m = ix.map({ maxChars: o.chars ?? 4000, ...(words.length ? { question: words.join(' ') } : {}) });
    if (o.json) return list(io, o, m.entries, () => '', 'no symbol is used across files');
    return list(io, o, m.text ? [m.text] : [], (t) => t.join(''), 'no symbol is used across files');
  },
  read: (ix, [spec, from, to], o, io) => {
    const m = /^(.*?)(?::(\d+)(?:-(\d+))?)?$/.exec(spec!)!;
    const a = Number(from ?? m[2] ?? 1), b = to ?? m[3];
    const r = ix.read(m[1]!, a, b === undefined ? (m[2] && !from ? a + 20 : undefined) : Number(b));
    io.out(o.json ? json(r) : r.lines.map((l, i) => `${String(r.fromLine + i).padStart(5)}  ${l}\n`).join(''));
    return EXIT.ok;
  },
};

export function registerCode(program: Command, io: CliIo = processIo): void {
  const code = program.command('code').description('ask the code index: where things are defined, used, called and tested');
  usageExit2(code);
  code.addHelpText('after', `
DESCRIPTION
  The code index is Dialogos's knowledge of its own source: every module, symbol, reference, call and
  import, the tests that reach a symbol, the docs' sections, and a BM25 text index. Answers cite
  path:line relative to the source tree. Each command updates the saved index first.

EXAMPLES
  dialogos code index
  dialogos code def Store.listDir
  dialogos code callers writeGeneration
  dialogos code module src/gen/index.ts
  dialogos code search boot count
  dialogos code map --chars 3000 how does the boot stage pick a generation
  dialogos code read src/gen/store.ts:200
  dialogos code diff /data/dialogos/generations/g1/tree /dialogos

${COMMON}`);
  const common = (c: Command) => usageExit2(c.option('--source <dir>', 'the source tree').option('--state <dir>', 'keep the index in DIR/mind').option('--json', 'print JSON'));
  const run = (name: string, args: string[], opts: CodeOpts, body: (o: CodeOpts) => Promise<number>) => (async () => {
    process.stdout.once('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(EXIT.ok); });
    try { process.exitCode = await body(opts); } catch (err) { fail(io, `code ${name}`, opts, err); process.exitCode = codeExit(err); }
  })();
  const query = (name: string, argSpec: string, what: string, help: string, extra?: (c: Command) => Command) => {
    let c = common(code.command(`${name} ${argSpec}`).description(what));
    if (extra) c = extra(c);
    c.addHelpText('after', `\nDESCRIPTION\n${help}\n\n${COMMON}`);
    c.action((...a: unknown[]) => {
      const opts = a[a.length - 2] as CodeOpts;
      const args = a.slice(0, -2).flat() as string[];
      return run(name, args, opts, async (o) => BODIES[name]!((await open(o, io)).index, args, o, io));
    });
  };
  common(code.command('index').description('build or update the index and print what it holds'))
    .addHelpText('after', `\nDESCRIPTION\n  Builds the index of the source tree, or updates the saved one (changed files and their importers\n`
      + `  only), saves it, and prints counts, timings and notes on files it could not read whole.\n\n${COMMON}`)
    .action((opts: CodeOpts) => run('index', [], opts, async (o) => {
      const r = await open(o, io);
      io.out(o.json ? json({ root: r.index.root, file: r.file, rebuilt: r.rebuilt, summary: r.summary, stats: r.index.stats(), notes: r.index.notes() }) : fmtIndex(r));
      return EXIT.ok;
    }));
  query('def', '<name>', 'where a symbol is defined', '  Definitions of NAME with kind, signature and doc comment; exact matches first, else fuzzy.',
    (c) => c.option('--limit <n>', 'at most N fuzzy matches (default 10)', num));
  query('refs', '<name>', 'every use of a symbol', '  References resolved by the type checker: imports, re-exports, calls, type uses.');
  query('callers', '<name>', 'who calls a symbol', '  Call sites of NAME, each with the calling symbol (or the module, at top level).');
  query('callees', '<name>', 'what a symbol calls', '  Calls made inside NAME, with their targets.');
  query('module', '<path>', 'what a module does and depends on', '  Summary (the leading comment), exports with their definitions, imports, importers, doc\n  sections and the tests that reach it.');
  query('tests', '<name>', 'which tests exercise a symbol', '  Test files (*.test.ts unit, *.vm.test.ts VM, *.vmlong.test.ts, *.host.test.ts) that reference\n'
    + '  NAME directly, then those that reach its module through imports, with the import chain.');
  query('search', '<words...>', 'full-text search over code and docs',
    '  BM25 over symbols, module headers, doc sections and text, with identifier splitting\n  ("boot count" finds parseBootCountName).',
    (c) => c.option('-k <n>', 'how many hits (default 10)', num).option('--kind <kind>', 'only symbol, module, doc or text hits (repeatable)', kind));
  query('map', '[question...]', 'a repository map: the most-used signatures by file',
    '  The exported symbols other files use most, with line and signature, grouped by file under its\n'
    + '  summary, within --chars; a QUESTION puts the files a search for it finds first (as Aider\'s map).',
    (c) => c.option('--chars <n>', 'at most N characters (default 4000)', num));
  query('read', '<path[:line[-line]]> [from] [to]', 'print lines of a file', '  Lines of a file of the index, numbered; PATH:LINE prints 20 lines from LINE.');
  common(code.command('diff <older> <newer>').description('what changed between two source trees (generations)'))
    .option('--store <dir>', 'the generation store for ids (env DIALOGOS_STORE; default /data/dialogos)')
    .addHelpText('after', '\nDESCRIPTION\n  OLDER and NEWER are source trees, or generation ids (g12-...) whose trees are read from the store.\n'
      + '  Indexes both (each saved index is updated, not rebuilt) and prints files added (A), removed (D)\n'
      + `  and changed (M), then symbols added (+), removed (-) and changed (~, with what changed).\n\n${COMMON}`)
    .action((older: string, newer: string, opts: CodeOpts) => run('diff', [], opts, async (o) => {
      const [a, b] = [await open(o, io, treeOf(older, o, io.env)), await open(o, io, treeOf(newer, o, io.env))];
      const d = a.index.diff(b.index);
      if (o.json) io.out(json(d)); else io.out(fmtDiff(d) || 'no differences\n');
      return EXIT.ok;
    }));
}
