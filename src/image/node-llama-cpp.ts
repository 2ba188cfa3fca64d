// node-llama-cpp in a generation: the npm package with its dependencies is ~2,400 files, and every file a
// generation ships is hashed at each boot. So a generation carries a *vendored* node-llama-cpp instead: its
// JavaScript bundled into dist/index.js (dependencies inlined), its binary self-test bundled at the path the
// package forks it from, the few data files it reads, and the CPU build (@node-llama-cpp/linux-x64) as is.
// Everything else imports it by name, as from npm. A vendored copy ships itself again unchanged, so a
// generation rebuilds itself inside the OS, where the npm package is not there.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundle, NODE_LLAMA_CPP_DIR } from './bundle.js';
import { ImageInputError } from './errors.js';

/** Present only in a vendored copy: says which npm version it was made from. */
export const VENDORED_MARKER = '.dialogos-vendored.json';

/** The files of a vendored copy, relative to the package folder (the marker aside). */
const BUNDLED = { index: 'dist/index.js', selfTest: 'dist/bindings/utils/testBindingBinary.js' };
const DATA_FILES = ['llama/binariesGithubRelease.json', 'llama/llama.cpp.info.json', 'llama/package.json'];

interface PackageJson { name: string; version: string; type?: string }

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

function copyFile(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  chmodSync(to, 0o644);
}

/**
 * Writes the vendored node-llama-cpp of `sourceRoot` into `outDir/node_modules/node-llama-cpp`: bundles it
 * from the npm package, or copies a copy that is vendored already. Returns false when the source root has
 * no node-llama-cpp (a generation without the llm runtime).
 * @throws ImageInputError when the package is incomplete; BundleError when esbuild refuses it
 */
export async function shipNodeLlamaCpp(sourceRoot: string, outDir: string): Promise<boolean> {
  const from = join(sourceRoot, NODE_LLAMA_CPP_DIR);
  const to = join(outDir, NODE_LLAMA_CPP_DIR);
  if (!existsSync(join(from, 'package.json'))) return false;
  const files = [BUNDLED.index, BUNDLED.selfTest, ...DATA_FILES];
  if (existsSync(join(from, VENDORED_MARKER))) {
    for (const rel of ['package.json', VENDORED_MARKER, ...files]) {
      if (!existsSync(join(from, rel))) throw new ImageInputError(`Cannot ship the vendored node-llama-cpp of "${sourceRoot}": ${rel} is missing`);
      copyFile(join(from, rel), join(to, rel));
    }
    return true;
  }
  const pkg = readPackage(from);
  for (const rel of DATA_FILES) {
    if (!existsSync(join(from, rel))) throw new ImageInputError(`Cannot vendor node-llama-cpp ${pkg.version} from "${from}": ${rel} is missing (reinstall it with npm ci)`);
    copyFile(join(from, rel), join(to, rel));
  }
  await bundle(sourceRoot, join(from, BUNDLED.index), join(to, BUNDLED.index), outDir);
  await bundle(sourceRoot, join(from, BUNDLED.selfTest), join(to, BUNDLED.selfTest), outDir);
  // Only what resolution needs: the name, the version (checked against the binary package) and ESM.
  writeFileSync(join(to, 'package.json'), JSON.stringify({
    name: pkg.name, version: pkg.version, type: 'module', main: `./${BUNDLED.index}`,
    exports: { '.': `./${BUNDLED.index}` },
  }, null, 2) + '\n', { mode: 0o644 });
  writeFileSync(join(to, VENDORED_MARKER), JSON.stringify({ from: `${pkg.name}@${pkg.version}`, files }, null, 2) + '\n', { mode: 0o644 });
  return true;
}
