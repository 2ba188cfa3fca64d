// The health section of the booted generation's manifest. The boot stage verified the signature and
// digests before the jump; this only checks the shape dialogosd relies on.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { HealthCheck } from '../gen/types.js';
import { ManifestHealthError } from './errors.js';

const Check = z.discriminatedUnion('kind', [
  z.object({ name: z.string(), kind: z.literal('command'), argv: z.array(z.string()), timeoutSeconds: z.number().positive() }),
  z.object({ name: z.string(), kind: z.literal('file'), path: z.string(), timeoutSeconds: z.number().positive() }),
]);
const Health = z.object({ windowSeconds: z.number().nonnegative(), checks: z.array(Check) });

export interface ManifestHealth {
  windowSeconds: number;
  checks: HealthCheck[];
}

/**
 * Reads `gens/<id>/manifest.json` under `storeDir` and returns its `health`.
 * @throws ManifestHealthError when the manifest is missing, not JSON, or its health section is malformed
 */
export async function readManifestHealth(storeDir: string, id: string): Promise<ManifestHealth> {
  const path = join(storeDir, 'gens', id, 'manifest.json');
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ManifestHealthError(`Cannot read the manifest of generation "${id}" at "${path}"`, { cause: err });
  }
  const r = Health.safeParse((data as { health?: unknown } | null)?.health);
  if (!r.success) throw new ManifestHealthError(`Cannot use the manifest of generation "${id}": health section is malformed (${r.error.issues[0]?.message ?? 'invalid'})`);
  return r.data;
}
