// The generation layer's tree: the OS's CLI and daemon as one bundle, the source it was built from (with
// its tests and test kits, compiled), the node_modules needed to rebuild it offline and to test itself, and defaults. The function runs both on a
// build host (from the repository) and inside the OS (from /dialogos itself): it needs only esbuild from
// the source root, never tsc or the network. The TypeScript compiler ships as one file for the code index.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundle } from './bundle.js';
import { ImageInputError } from './errors.js';
import { shipNodeLlamaCpp } from './node-llama-cpp.js';
import { walkTree } from './walk.js';

/** What a generation ships of its source root, beside the bundle. Missing entries are skipped. */
export const SHIPPED_PATHS = [
  'src', 'dist', 'native', 'docs', 'bench', 'scripts', 'defaults', 'models',
  'package.json', 'package-lock.json', 'tsconfig.json', 'README.md', 'dialogos',
];

/**
 * What stays behind although it sits under a shipped path. The test kits ship (issue 10 item 1: the OS tests
 * itself with src/evolve/evaluate/self-test.ts's needs); dist/ ships its compiled code, tests and kits, not the
 * tsc build info nor source maps.
 */
export const UNSHIPPED_PATHS = ['dist/tsconfig.tsbuildinfo'];

/** Whether `rel` (relative to the source root) is part of what a generation ships of its source. */
export function isShippedSourcePath(rel: string): boolean {
  if (rel.startsWith('dist/') && rel.endsWith('.map')) return false;
  return !UNSHIPPED_PATHS.some((u) => rel === u || rel.startsWith(`${u}/`));
}

/**
 * What the OS's own typecheck and unit suite import beyond the runtime: node's types (and undici's, which they
 * import), the property-test library and its generator, and the openai client the llm API tests drive. Their
 * declarations ship too: the typecheck reads them.
 */
export const TEST_MODULES = ['@types/node', 'undici-types', 'fast-check', 'pure-rand', 'openai'];

/**
 * Runtime dependencies and the bundler: enough to run and to rebuild the tree with no network; and the
 * TypeScript compiler API, which the code index (src/mind) imports lazily to read the tree's own source.
 */
export const SHIPPED_MODULES = ['commander', 'zod', 'esbuild', '@esbuild/linux-x64', '@node-llama-cpp/linux-x64', 'typescript', ...TEST_MODULES];

// Of typescript's 120 files (23 MB) the code index needs the compiler API alone, and the self-test's typecheck
// the default libraries (lib.*.d.ts, 3 MB): no tsc/tsserver, no localized messages.
const TYPESCRIPT_FILES = new Set(['typescript', 'typescript/package.json', 'typescript/LICENSE.txt', 'typescript/lib', 'typescript/lib/typescript.js']);
const TYPESCRIPT_LIB = /^typescript\/lib\/lib\.[a-z0-9.]+\.d\.ts$/;

/** The CLI bundle's path inside a tree, and how the booted generation starts (`dialogos daemon`). */
export const CLI_BUNDLE = 'bin/dialogos.mjs';
/** The llm service runs each model in a child process started from this bundle (src/llm/worker-main.ts). */
export const LLM_WORKER_BUNDLE = 'bin/llm-worker.mjs';
const LLM_WORKER_ENTRY = 'src/llm/worker-main.ts';
/** The trainer's worker thread, found beside the CLI bundle (src/train/grad-engine.ts); without it, one thread. */
const GRAD_WORKER = { entry: 'src/train/grad-worker.ts', out: 'bin/grad-worker.js' };
export const GENERATION_ENTRY = { main: CLI_BUNDLE, args: ['daemon'] };

export interface HealthDefaults {
  windowSeconds: number;
  checks: { name: string; kind: 'command'; argv: string[]; timeoutSeconds: number }[];
}

/** Used when the source root has no defaults/health.json (the repository before anyone wrote one). */
export const DEFAULT_HEALTH: HealthDefaults = {
  windowSeconds: 120,
  checks: [{ name: 'cli-starts', kind: 'command', argv: ['/usr/bin/node', `/dialogos/${CLI_BUNDLE}`, '--help'], timeoutSeconds: 60 }],
};

/**
 * What a shipped module carries that neither running nor rebuilding needs: type declarations, source maps,
 * a package's TypeScript sources, and esbuild's copy of its platform binary (its JS API finds the same
 * binary in @esbuild/linux-x64). Every file a generation ships is hashed at each boot, under emulation
 * too, so zod alone (840 files, 8 MB, of which 580 are declarations and sources) would cost seconds.
 */
export function isShippedModuleFile(rel: string): boolean {
  if (rel === 'typescript' || rel.startsWith('typescript/')) return TYPESCRIPT_FILES.has(rel) || TYPESCRIPT_LIB.test(rel);
  if (rel.endsWith('.map')) return false;
  const testModule = TEST_MODULES.find((m) => rel === m || rel.startsWith(`${m}/`));
  // openai ships its TypeScript sources beside the compiled code and declarations; the typecheck reads the latter.
  if (testModule) return !rel.startsWith('openai/src/');
  if (/\.d\.[cm]?ts$/.test(rel)) return false;
  if (rel.startsWith('zod/src/') || rel === 'esbuild/bin/esbuild') return false;
  return true;
}

function copyEntry(from: string, to: string, keep: (rel: string) => boolean = () => true): void {
  for (const e of [{ rel: '', abs: from, type: 'dir' as const, mode: 0o755, target: undefined }, ...walkTree(from).filter((e) => keep(e.rel))]) {
    const dest = e.rel ? join(to, e.rel) : to;
    if (e.type === 'dir') { mkdirSync(dest, { recursive: true }); continue; }
    mkdirSync(dirname(dest), { recursive: true });
    if (e.type === 'symlink') { symlinkSync(e.target!, dest); continue; }
    copyFileSync(e.abs, dest);
    // Only the executable bit carries meaning in a manifest; umask and checkout modes must not.
    chmodSync(dest, e.mode & 0o111 ? 0o755 : 0o644);
  }
}

function copyPath(sourceRoot: string, rel: string, outDir: string, keep?: (rel: string) => boolean): boolean {
  const from = join(sourceRoot, rel);
  if (!existsSync(from)) return false;
  const to = join(outDir, rel);
  if (statSync(from).isDirectory()) copyEntry(from, to, keep);
  else {
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    chmodSync(to, statSync(from).mode & 0o111 ? 0o755 : 0o644);
  }
  return true;
}

/** A file placed into the tree at `rel` (e.g. `models/dialogos-mini.gguf`), made outside the source tree. */
export interface ExtraFile { rel: string; file: string }

/**
 * Builds a generation tree from `sourceRoot` into `outDir` (emptied first), with `extraFiles` placed last.
 * @throws ImageInputError when src/cli/main.ts or a shipped module is missing; ToolError when esbuild fails
 */
export async function buildGenerationTree(sourceRoot: string, outDir: string, extraFiles: readonly ExtraFile[] = []): Promise<void> {
  const entry = join(sourceRoot, 'src', 'cli', 'main.ts');
  if (!existsSync(entry)) throw new ImageInputError(`Cannot build a generation from "${sourceRoot}": it has no src/cli/main.ts`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'bin'), { recursive: true });
  await bundle(sourceRoot, entry, join(outDir, CLI_BUNDLE));
  if (existsSync(join(sourceRoot, LLM_WORKER_ENTRY))) await bundle(sourceRoot, join(sourceRoot, LLM_WORKER_ENTRY), join(outDir, LLM_WORKER_BUNDLE));
  if (existsSync(join(sourceRoot, GRAD_WORKER.entry))) await bundle(sourceRoot, join(sourceRoot, GRAD_WORKER.entry), join(outDir, GRAD_WORKER.out));
  await shipNodeLlamaCpp(sourceRoot, outDir);
  for (const rel of SHIPPED_PATHS) copyPath(sourceRoot, rel, outDir, (sub) => isShippedSourcePath(join(rel, sub)));
  for (const mod of SHIPPED_MODULES) {
    const keep = (rel: string) => isShippedModuleFile(join(mod, rel));
    if (!copyPath(sourceRoot, join('node_modules', mod), outDir, keep)) {
      throw new ImageInputError(`Cannot build a generation from "${sourceRoot}": node_modules/${mod} is missing`);
    }
  }
  for (const x of extraFiles) {
    if (x.rel.startsWith('/') || x.rel.split('/').includes('..')) throw new ImageInputError(`Cannot place "${x.file}" at "${x.rel}" in a generation: give a path inside the tree`);
    if (!existsSync(x.file)) throw new ImageInputError(`Cannot place "${x.file}" in the generation at "${x.rel}": the file does not exist`);
    mkdirSync(dirname(join(outDir, x.rel)), { recursive: true });
    copyFileSync(x.file, join(outDir, x.rel));
    chmodSync(join(outDir, x.rel), 0o644);
  }
  const health = join(outDir, 'defaults', 'health.json');
  if (!existsSync(health)) {
    mkdirSync(dirname(health), { recursive: true });
    writeFileSync(health, JSON.stringify(DEFAULT_HEALTH, null, 2) + '\n', { mode: 0o644 });
  }
}

/** The health section for the manifest: the tree's defaults/health.json. */
export function readHealthDefaults(treeDir: string): HealthDefaults {
  return JSON.parse(readFileSync(join(treeDir, 'defaults', 'health.json'), 'utf8')) as HealthDefaults;
}
