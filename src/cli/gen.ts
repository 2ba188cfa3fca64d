// NAME
//   dialogos gen - inspect and steer the generations in the store
//
// SYNOPSIS
//   dialogos gen ls | show ID | stage ID [--tries N] | switch ID [--once] | bless [ID]
//               | bad [ID] --reason R | pin ID | unpin ID | rollback | gc [--dry-run] [--keep N]
//               | fsck [--repair] | build [--source DIR] [--key FILE] [--stage N] [--rollback-floor N]
//   every verb takes --json (machine output) and --store DIR or --image FILE
//
// DESCRIPTION
//   Works on the generation store under DIR (default $DIALOGOS_STORE, else /data/dialogos: the data
//   partition as mounted inside Dialogos), or on the data partition of a disk image (--image, from a
//   build host; read-only while a VM has the image open). `build` turns the running generation's own
//   shipped source (or --source DIR) into a new generation signed with the machine key (--key FILE; for
//   an image, the checkout's .dialogos/keys/build.key) and, with --stage N, stages it with N tries. `ls` marks D default, O one-shot, B booted, T trial,
//   L last good, R recovery, P pinned. `stage` gives a generation N tries and makes it the default;
//   `switch --once` boots it next time only; `bless`/`bad` without ID act on the running trial (else
//   the booted generation); `rollback` points the default at the previous good generation; `gc`
//   never removes the booted, last good, default, recovery or pinned generations.
//
// EXIT STATUS
//   0 ok, 1 the operation failed (fsck: problems found), 2 usage error, 3 generation not found
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  GenerationMissingError, fsck, gc, loadTrust, parseGenerationId, verifyGeneration, type StoreState,
} from '../gen/index.js';
import { buildGeneration } from './gen-build.js';
import { openStoreTarget, type StoreTarget } from './store-target.js';

export interface GenIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
}

const processIo: GenIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
};

export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3 } as const;

interface CommonOptions {
  json?: boolean;
  store?: string;
  image?: string;
}

export type OpenedStore = StoreTarget;

/** Opens the store the options name: `--image FILE`, else `--store DIR`, else $DIALOGOS_STORE, else /data/dialogos. */
export async function openStoreFromOptions(options: CommonOptions, io: GenIo): Promise<OpenedStore> {
  if (options.image && options.store) throw new InvalidArgumentError('give either --store DIR or --image FILE, not both');
  return openStoreTarget({ store: options.store, image: options.image, env: io.env });
}

function exitCodeOf(err: unknown): number {
  const name = (err as Error)?.name;
  if (name === 'GenerationMissingError') return EXIT.notFound;
  if (name === 'GenerationIdInvalidError') return EXIT.usage;
  return EXIT.failed;
}

function flags(id: string, s: StoreState): string {
  const r = s.generations[id]!;
  return [
    s.default === id ? 'D' : '', s.oneShot === id ? 'O' : '', s.booted?.id === id ? 'B' : '', s.trial?.id === id ? 'T' : '',
    s.lastGood === id ? 'L' : '', r.recovery ? 'R' : '', r.pinned ? 'P' : '',
  ].join('');
}

/** The `ls` table: newest first. */
export function formatTable(s: StoreState): string {
  const rows = Object.entries(s.generations)
    .sort(([, a], [, b]) => b.version - a.version)
    .map(([id, r]) => [id, String(r.version), r.status, String(r.triesLeft), String(r.priority), flags(id, s), r.badReason ?? '']);
  const all = [['ID', 'VERSION', 'STATUS', 'TRIES', 'PRIO', 'FLAGS', 'NOTE'], ...rows];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const lines = all.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  return `${lines.join('\n')}\nfloor ${s.floor}  flags: D default, O one-shot, B booted, T trial, L last good, R recovery, P pinned\n`;
}

type Action = (args: string[], options: Record<string, unknown>, opened: OpenedStore) => Promise<{ json: unknown; text: string; code?: number }>;

function checkId(id: string): string {
  parseGenerationId(id);
  return id;
}

/** A parser for integer options (a bad value is a usage error, exit 2). */
function count(name: string, min: number): (v: string) => string {
  return (v) => {
    if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
      throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got "${v}"`);
    }
    return v;
  };
}

const stateResult = (s: StoreState, text: string) => ({ json: s, text: `${text}\n` });

/** Adds `gen` and its verbs to the `dialogos` program. */
export function registerGen(program: Command, io: GenIo = processIo): void {
  const gen = program.command('gen').description('inspect and steer the generations in the store');
  // Usage errors exit 2 (commander's own default is 1, which we keep for failed operations).
  gen.exitOverride((err) => {
    throw new CommanderError(err.exitCode === 0 ? 0 : EXIT.usage, err.code, err.message);
  });
  const verb = (spec: string, description: string, action: Action, extra: (c: Command) => void = () => {}): void => {
    const c = gen.command(spec).description(description)
      .option('--json', 'print JSON')
      .option('--store <dir>', 'the data directory holding store/ and keys/ (env DIALOGOS_STORE, default /data/dialogos)')
      .option('--image <file>', 'a Dialogos disk image: work on its data partition (read-only while a VM runs it)');
    extra(c);
    c.action(async (...all: unknown[]) => {
      const cmd = all[all.length - 1] as Command;
      const options = cmd.opts<Record<string, unknown> & CommonOptions>();
      try {
        const r = await action(cmd.args, options, await openStoreFromOptions(options, io));
        io.out(options.json ? `${JSON.stringify(r.json, null, 2)}\n` : r.text);
        process.exitCode = r.code ?? EXIT.ok;
      } catch (err) {
        const e = err as Error;
        if (options.json) io.out(`${JSON.stringify({ error: { name: e.name, message: e.message } })}\n`);
        io.err(`dialogos gen: ${e.message}\n`);
        process.exitCode = exitCodeOf(err);
      }
    });
  };

  verb('ls', 'list generations', async (_a, _o, { store }) => {
    const { state, problem } = await store.readState();
    return { json: { ...state, stateProblem: problem?.message ?? null }, text: `${problem ? `warning: ${problem.message}\n` : ''}${formatTable(state)}` };
  });
  verb('show <id>', 'show one generation: record, manifest summary, verification', async ([id], _o, { store, fs, root }) => {
    const { state } = await store.readState();
    const record = state.generations[checkId(id!)] ?? null;
    const trust = await loadTrust(fs, root);
    const verified = await verifyGeneration(fs, root, id!, trust).then(() => 'ok', (e: Error) => `${e.name}: ${e.message}`);
    const manifest = await store.readManifest(id!).catch(() => null);
    if (!record && !manifest) throw new GenerationMissingError(`Generation "${id}" is not in the store`);
    const summary = manifest && {
      version: manifest.version, parent: manifest.parent, created: manifest.created, rollbackFloor: manifest.rollbackFloor,
      entry: manifest.entry, kernel: manifest.kernel, health: manifest.health, provenance: manifest.provenance,
      files: manifest.files.length, bytes: manifest.files.reduce((n, f) => n + f.size, 0),
    };
    const text = [`generation ${id}`, `record    ${JSON.stringify(record)}`, `manifest  ${JSON.stringify(summary)}`, `verified  ${verified}`, ''].join('\n');
    return { json: { id, record, manifest: summary, verified }, text };
  });
  verb('stage <id>', 'give a generation N tries and make it the default', async ([id], o, { store }) =>
    stateResult(await store.stage(checkId(id!), Number(o.tries)), `staged ${id} with ${o.tries} tries`),
  (c) => c.addOption(new Option('--tries <n>', 'boots before it counts as failed').default('3').argParser(count('--tries', 1))));
  verb('switch <id>', 'make a generation the default (or, --once, the next boot only)', async ([id], o, { store }) =>
    stateResult(await store.switchTo(checkId(id!), { once: o.once === true }), `${o.once ? 'next boot' : 'default'}: ${id}`),
  (c) => c.option('--once', 'boot it once, then go back to the default'));
  verb('bless [id]', 'mark a generation good (default: the running trial)', async ([id], _o, { store }) => {
    const s = await store.bless(id === undefined ? undefined : checkId(id));
    return stateResult(s, `blessed ${s.lastGood}; floor ${s.floor}`);
  });
  verb('bad [id]', 'mark a generation bad (default: the running trial)', async ([id], o, { store }) =>
    stateResult(await store.markBad(id === undefined ? undefined : checkId(id), String(o.reason)), `marked bad: ${id ?? 'the running generation'}`),
  (c) => c.requiredOption('--reason <text>', 'why, kept in the record'));
  verb('pin <id>', 'protect a generation from gc', async ([id], _o, { store }) => stateResult(await store.pin(checkId(id!)), `pinned ${id}`));
  verb('unpin <id>', 'let gc remove a generation again', async ([id], _o, { store }) => stateResult(await store.unpin(checkId(id!)), `unpinned ${id}`));
  verb('rollback', 'make the previous good generation the default', async (_a, _o, { store }) => {
    const target = await store.rollback();
    return { json: { default: target }, text: `default: ${target}\n` };
  });
  verb('gc', 'remove bad and old generations and staging leftovers', async (_a, o, { store }) => {
    const r = await gc(store, { dryRun: o.dryRun === true, keep: Number(o.keep) });
    const verbText = o.dryRun ? 'would remove' : 'removed';
    return { json: r, text: `${verbText}: ${[...r.removed, ...r.orphans].join(' ') || 'no generations'}; staging leftovers: ${r.staging.length}\n` };
  }, (c) => c.option('--dry-run', 'only say what would go').addOption(new Option('--keep <n>', 'unprotected good generations to keep').default('2').argParser(count('--keep', 0))));
  verb('fsck', 'check the store; --repair fixes what it finds', async (_a, o, { store, fs, root }) => {
    const trust = await loadTrust(fs, root);
    const problems = await fsck(store, trust, { repair: o.repair === true });
    const remaining = o.repair ? await fsck(store, trust) : problems;
    const text = problems.map((p) => `${p.kind}\t${p.subject}\t${p.message}`).join('\n') + (problems.length ? '\n' : 'clean\n')
      + (o.repair && problems.length ? `repaired; ${remaining.length} problem(s) remain\n` : '');
    return { json: { problems, remaining }, text, code: remaining.length ? EXIT.failed : EXIT.ok };
  }, (c) => c.option('--repair', 'fix the problems found'));
  verb('build', "build a new signed generation from this generation's own source", async (_a, o, target) => {
    const r = await buildGeneration(target, {
      source: o.source as string | undefined, key: o.key as string | undefined,
      stage: o.stage === undefined ? undefined : Number(o.stage),
      rollbackFloor: o.rollbackFloor === undefined ? undefined : Number(o.rollbackFloor),
      argv: ['gen', 'build', ...process.argv.slice(4)], log: (l) => io.err(`${l}\n`),
    });
    const staged = r.staged ? `; staged with ${r.staged} tries` : '';
    return { json: r, text: `${r.id}\nbuilt generation ${r.id} (version ${r.version}, parent ${r.parent ?? 'none'}) in ${r.seconds.toFixed(1)} s${staged}\n` };
  }, (c) => c.option('--source <dir>', 'source root to build (default: the running generation, /dialogos)')
    .option('--key <file>', 'PKCS#8 PEM signing key (default: keys/machine.key)')
    .addOption(new Option('--stage <n>', 'stage it with N tries').argParser(count('--stage', 1)))
    .addOption(new Option('--rollback-floor <n>', 'floor its blessing sets (default: the parent\'s)').argParser(count('--rollback-floor', 0))));
}

/**
 * Runs `dialogos gen ...argv` on its own program and returns the exit code (for tests and scripts).
 * @example await runGen(['ls', '--store', '/tmp/data'], io)
 */
export async function runGen(argv: string[], io: GenIo = processIo): Promise<number> {
  const program = new Command('dialogos').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerGen(program, io);
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['gen', ...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  } finally {
    process.exitCode = saved;
  }
}
