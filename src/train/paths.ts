// Where things are: the source root this program runs from and the state folder for checkpoints.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above this file holding src/cli/main.ts (/dialogos in the OS, the checkout on a host). */
export function runningRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'src', 'cli', 'main.ts'))) return dir;
  }
  return process.cwd();
}

/** Default folder for checkpoints and caches: DIR/train for a host instance, else /data/dialogos/train. */
export function trainStateDir(state?: string): string {
  return state ? join(state, 'train') : '/data/dialogos/train';
}
