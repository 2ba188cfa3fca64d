// esbuild bundles (the boot stage, the generation's CLI), run with the esbuild binary of the *source root*
// so that a shipped tree rebuilds itself offline with exactly the toolchain it carries.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ImageInputError } from './errors.js';
import { execTool } from './exec.js';

// Node's builtins are required by CommonJS dependencies (commander); an ESM bundle needs a real `require`.
const REQUIRE_BANNER = "import { createRequire as __dialogosCreateRequire } from 'node:module'; const require = __dialogosCreateRequire(import.meta.url);";

export function esbuildBinary(sourceRoot: string): string {
  return join(sourceRoot, 'node_modules', '@esbuild', 'linux-x64', 'bin', 'esbuild');
}

/**
 * Bundles `entry` (inside `sourceRoot`) into one ESM file for Node 20.
 * Runs with cwd = sourceRoot so the path comments in the output are relative and the bytes do not depend
 * on where the tree lives.
 * @throws ImageInputError when the entry or esbuild is missing; ToolError when esbuild fails
 */
export async function bundle(sourceRoot: string, entry: string, outFile: string): Promise<void> {
  const bin = esbuildBinary(sourceRoot);
  if (!existsSync(bin)) throw new ImageInputError(`Cannot bundle "${entry}": no esbuild at "${bin}"`);
  if (!existsSync(entry)) throw new ImageInputError(`Cannot bundle "${entry}": the file does not exist`);
  await execTool(bin, [
    relative(sourceRoot, entry),
    '--bundle', '--platform=node', '--format=esm', '--target=node20',
    '--legal-comments=none', '--charset=utf8', '--log-level=error',
    `--banner:js=${REQUIRE_BANNER}`,
    // The code index imports the compiler lazily; inlining it would add 9 MB to every CLI start.
    '--external:typescript',
    `--outfile=${outFile}`,
  ], { cwd: sourceRoot });
}
