// esbuild bundles (the boot stage, the generation's CLI, the llm worker), run with the esbuild of the
// *source root* so that a shipped tree rebuilds itself offline with exactly the toolchain it carries.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { BundleError, ImageInputError } from './errors.js';

// Node's builtins are required by CommonJS dependencies (commander); an ESM bundle needs a real `require`.
const REQUIRE_BANNER = "import { createRequire as __dialogosCreateRequire } from 'node:module'; const require = __dialogosCreateRequire(import.meta.url);";

/**
 * Where node-llama-cpp's files sit in a generation tree, relative to a bundle in `bin/`. The package finds
 * its data (`package.json`, `llama/*.json`) and forks its binary self-test by paths relative to each of its
 * own modules, at different depths; bundled, every module would share the bundle's URL. So each of its
 * modules gets the URL it would have had unbundled, and the tree ships those few data files there.
 */
export const NODE_LLAMA_CPP_DIR = 'node_modules/node-llama-cpp';
const nlcUrlHelper = (fromBundleDir: string): string =>
  `const __dialogosNlcUrl = (rel) => new URL(${JSON.stringify(fromBundleDir + '/')} + rel, import.meta.url).href;`;

/**
 * Imported by name at run time, never inlined: node-llama-cpp is shipped vendored as its own bundle (see
 * node-llama-cpp.ts), and its platform binaries are real packages whose .so files it loads. The code
 * index imports the TypeScript compiler lazily; inlining it would add 9 MB to every CLI start.
 */
const EXTERNAL = ['node-llama-cpp', '@node-llama-cpp/*', 'typescript'];

interface EsbuildPlugin { name: string; setup(build: { onLoad(o: { filter: RegExp }, cb: (a: { path: string }) => { contents: string; loader: 'js' }): void }): void }
interface EsbuildApi {
  build(options: Record<string, unknown>): Promise<{ errors: { text: string }[] }>;
}

export function esbuildBinary(sourceRoot: string): string {
  return join(sourceRoot, 'node_modules', '@esbuild', 'linux-x64', 'bin', 'esbuild');
}

function loadEsbuild(sourceRoot: string): EsbuildApi {
  const bin = esbuildBinary(sourceRoot);
  if (!existsSync(bin)) throw new ImageInputError(`Cannot bundle in "${sourceRoot}": no esbuild binary at "${bin}"`);
  try {
    return createRequire(join(sourceRoot, 'package.json'))('esbuild') as EsbuildApi;
  } catch (err) {
    throw new ImageInputError(`Cannot bundle in "${sourceRoot}": its node_modules/esbuild does not load`, { cause: err });
  }
}

/** Gives each node-llama-cpp module the URL it has in the unbundled package (see NODE_LLAMA_CPP_DIR). */
const nodeLlamaCppUrls = (sourceRoot: string): EsbuildPlugin => ({
  name: 'dialogos-node-llama-cpp-urls',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]node-llama-cpp[\\/]dist[\\/].*\.js$/ }, (args) => {
      const rel = relative(join(sourceRoot, NODE_LLAMA_CPP_DIR), args.path).split('\\').join('/');
      const text = readFileSync(args.path, 'utf8');
      return { contents: text.split('import.meta.url').join(`__dialogosNlcUrl(${JSON.stringify(rel)})`), loader: 'js' };
    });
  },
});

/**
 * Bundles `entry` (inside `sourceRoot`) into one ESM file for Node 24. node-llama-cpp, when reached, finds
 * its data under `<treeRoot>/node_modules/node-llama-cpp/`; treeRoot defaults to the parent of the output's
 * folder (bundles live in a tree's `bin/`).
 * The working directory is sourceRoot so the path comments in the output are relative and the bytes do not
 * depend on where the tree lives.
 * @throws ImageInputError when the entry or esbuild is missing; BundleError when esbuild refuses the sources
 */
export async function bundle(sourceRoot: string, entry: string, outFile: string, treeRoot = dirname(dirname(outFile))): Promise<void> {
  const esbuild = loadEsbuild(sourceRoot);
  if (!existsSync(entry)) throw new ImageInputError(`Cannot bundle "${entry}": the file does not exist`);
  try {
    await esbuild.build({
      absWorkingDir: sourceRoot,
      entryPoints: [relative(sourceRoot, entry)],
      bundle: true, platform: 'node', format: 'esm', target: 'node24',
      legalComments: 'none', charset: 'utf8', logLevel: 'silent',
      banner: { js: `${REQUIRE_BANNER} ${nlcUrlHelper(relative(dirname(outFile), join(treeRoot, NODE_LLAMA_CPP_DIR)))}` },
      external: EXTERNAL,
      plugins: [nodeLlamaCppUrls(sourceRoot)],
      outfile: outFile,
    });
  } catch (err) {
    const errors = (err as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors ?? [];
    const detail = errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}: ` : '') + e.text).join('; ');
    throw new BundleError(`Cannot bundle "${relative(sourceRoot, entry)}" with esbuild: ${detail || (err as Error).message}`, { cause: err });
  }
}
