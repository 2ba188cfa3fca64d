// The entropy controller, as systemd-random-seed: once per boot, the seed saved on /data is mixed into
// the kernel pool (a write to /dev/urandom: mixed, not credited, since crediting needs the
// RNDADDENTROPY ioctl), then a fresh seed from the kernel RNG replaces it atomically, so no seed is
// ever used twice. Status says whether the kernel RNG is initialised.
import { type KindController, kindStatus } from './kinds.js';
import type { EntropySpec } from './schema.js';
import type { EntropyOps } from './sysops.js';

export const SEED_BYTES = 512;

export interface EntropyOptions {
  /** Where a spec's seed file really is (host mode moves the default under the instance's state). */
  seedPath?(spec: EntropySpec): string;
}

export function entropyController(ops: EntropyOps, o: EntropyOptions = {}): KindController<'entropy'> {
  const done = new Map<string, string>(); // seed path -> the reason reported when it was done
  let known = false;
  return {
    kind: 'entropy',
    async reconcile(specs, board, now) {
      const spec = specs[0];
      if (!spec) {
        if (known) board.delete('entropy', 'entropy');
        known = false;
        return;
      }
      known = true;
      if (!spec.enabled) {
        board.set(kindStatus('entropy', spec.name, 'inactive', 'disabled', false, now));
        return;
      }
      const path = o.seedPath?.(spec) ?? spec.seedFile;
      let reason = done.get(path);
      if (reason === undefined) {
        try {
          const old = await ops.readSeed(path);
          if (old && old.length > 0) await ops.mix(old);
          await ops.writeSeed(path, ops.random(SEED_BYTES));
          done.set(path, (reason = old && old.length > 0
            ? `seed ${path}: ${old.length} bytes mixed into the kernel pool (not credited) and replaced by a fresh one`
            : `seed ${path}: none yet (first boot), a fresh one was written`));
        } catch (err) {
          board.set(kindStatus('entropy', spec.name, 'failed', `seed ${path}: ${(err as Error).message}`, true, now));
          return;
        }
      }
      const avail = await ops.entropyAvail();
      const rng = avail === null ? 'kernel RNG state unknown' : avail >= 256 ? `kernel RNG initialised (entropy_avail ${avail})` : `kernel RNG not initialised yet (entropy_avail ${avail})`;
      board.set(kindStatus('entropy', spec.name, 'running', `${reason}; ${rng}`, true, now));
    },
  };
}
