// Bearer tokens for the TCP listener: one random token per instance in a 0600 file, compared in
// constant time (over fixed-length digests, so the length of a guess leaks nothing either).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Reads the token file, creating it (0600, 256 random bits) when missing. */
export async function ensureToken(file: string): Promise<string> {
  try {
    const t = (await readFile(file, 'utf8')).trim();
    if (t.length >= 16) {
      await chmod(file, 0o600);
      return t;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dirname(file), { recursive: true });
  const token = randomBytes(32).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return token;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Whether an `Authorization` header carries `Bearer <token>`. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return timingSafeEqual(digest(m ? m[1]! : ''), digest(token)) && m !== null;
}
