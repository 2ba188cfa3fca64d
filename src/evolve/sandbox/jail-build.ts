// Builds native/jail with native/build.sh (musl-gcc or gcc, static), for hosts that have a compiler.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SandboxUnavailableError } from './errors.js';

const SCRIPT = fileURLToPath(new URL('../../../native/build.sh', import.meta.url));

/** Builds the jail into `outDir` and returns its path. @throws SandboxUnavailableError when the build fails */
export function buildJail(outDir: string, script = SCRIPT): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('sh', [script, outDir, 'jail'], (err, _out, stderr) => {
      if (err) reject(new SandboxUnavailableError(`Cannot build the sandbox jail with "${script}": ${stderr.trim() || err.message}`, { cause: err }));
      else resolve(join(outDir, 'jail'));
    });
  });
}
