// Makes sure the host has the Debian packages a command needs: dpkg-query first (cheap), apt-get only for
// what is missing, and a clear error naming the packages when this process cannot install them.
import { execFileSync, spawnSync } from 'node:child_process';
import { MissingPackagesError } from './errors.js';

/** The subset of `packages` that dpkg does not report as installed. */
export function missingPackages(packages: readonly string[]): string[] {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\\n', ...packages], { encoding: 'utf8' });
  if (r.error) return [...packages]; // no dpkg at all: nothing is known to be installed
  const installed = new Set(
    r.stdout.split('\n').map((l) => l.trim().split(' ')).filter((f) => f[1] === 'installed').map((f) => f[0]),
  );
  return packages.filter((p) => !installed.has(p));
}

/**
 * Installs whatever of `packages` is missing.
 * @throws MissingPackagesError when some are missing and this process is not root, or apt-get fails.
 */
export function ensurePackages(packages: readonly string[], log: (line: string) => void = (l) => process.stderr.write(l + '\n')): void {
  const missing = missingPackages(packages);
  if (missing.length === 0) return;
  const list = missing.join(' ');
  if (process.getuid?.() !== 0) {
    throw new MissingPackagesError(`Cannot continue: Debian packages ${list} are missing; run "sudo apt-get install -y ${list}"`, missing);
  }
  log(`dialogos: installing Debian packages: ${list}`);
  try {
    execFileSync('apt-get', ['update'], { stdio: ['ignore', 'inherit', 'inherit'] });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
      stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (cause) {
    throw new MissingPackagesError(`Cannot install Debian packages ${list}: apt-get failed`, missing, { cause });
  }
}
