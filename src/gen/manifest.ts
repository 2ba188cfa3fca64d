// The manifest parser: manifest.json crosses a trust boundary (it comes from disk, before or after
// its signature is checked), so every field is validated strictly and every failure is one named
// error that says which field and value were refused.
import { z } from 'zod';
import { ManifestInvalidError } from './errors.js';
import type { Manifest } from './types.js';

/** Manifests larger than this are refused before parsing: a bound on boot-time memory. */
export const MANIFEST_MAX_BYTES = 8 * 1024 * 1024;

/** True for a safe relative POSIX path: no `..`, `.` or empty segments, no leading `/`, NUL or `\`. */
export function isSafeRelativePath(p: string): boolean {
  if (p.length === 0 || p.length > 4096 || p.includes('\0') || p.includes('\\')) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

const safePath = z.string().refine(isSafeRelativePath, { message: 'not a safe relative POSIX path' });
const size = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const text = z.string().max(65536);

const fileSchema = z.strictObject({
  path: safePath,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'not 64 lowercase hex digits'),
  size,
  mode: z.number().int().min(0).max(0o777),
});

const healthCheckSchema = z.discriminatedUnion('kind', [
  z.strictObject({ name: text, kind: z.literal('command'), argv: z.array(text).min(1), timeoutSeconds: z.number().positive().max(86400) }),
  z.strictObject({ name: text, kind: z.literal('file'), path: text, timeoutSeconds: z.number().positive().max(86400) }),
]);

export const manifestSchema = z.strictObject({
  schema: z.literal(1),
  version: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  parent: z.string().regex(/^g\d+-[0-9a-f]{12}$/).nullable(),
  rollbackFloor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  created: text,
  provenance: z.strictObject({
    builder: text,
    sourceDigest: text,
    toolchain: z.record(z.string(), text),
    command: text,
  }),
  entry: z.strictObject({ main: safePath, args: z.array(text) }),
  kernel: z.strictObject({ image: safePath, initrd: safePath.nullable(), cmdline: text }).nullable(),
  health: z.strictObject({ windowSeconds: z.number().positive().max(86400), checks: z.array(healthCheckSchema) }),
  files: z.array(fileSchema).superRefine((files, ctx) => {
    for (let i = 1; i < files.length; i++) {
      if (!(files[i - 1]!.path < files[i]!.path)) {
        ctx.addIssue({ code: 'custom', path: [i, 'path'], message: 'paths must be sorted and unique', input: files[i]!.path });
        return;
      }
    }
  }),
});

/** Renders a zod issue as `field: message (value)` for the error message. */
export function describeIssue(issue: z.core.$ZodIssue, root: unknown): { field: string; text: string } {
  const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  let value: unknown = root;
  for (const p of issue.path) value = value != null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[p] : undefined;
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  if (shown.length > 80) shown = `${shown.slice(0, 77)}...`;
  return { field: field || '(root)', text: `${field || '(root)'}: ${issue.message} (value ${shown})` };
}

/**
 * Parses and validates manifest.json bytes.
 * @throws ManifestInvalidError (with `field`) for oversized bytes, bad UTF-8, bad JSON or any field
 *   the schema refuses
 */
export function parseManifest(bytes: Uint8Array): Manifest {
  if (bytes.length > MANIFEST_MAX_BYTES) {
    throw new ManifestInvalidError(`Manifest refused: ${bytes.length} bytes exceeds the ${MANIFEST_MAX_BYTES} byte limit`, '(root)');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new ManifestInvalidError(`Manifest refused: not UTF-8 JSON (${(err as Error).message})`, '(root)', { cause: err });
  }
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    const first = describeIssue(r.error.issues[0]!, json);
    throw new ManifestInvalidError(`Manifest refused: ${first.text}`, first.field, { cause: r.error });
  }
  return r.data as Manifest;
}
