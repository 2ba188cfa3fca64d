// User names to uid/gid, from /etc/passwd (no NSS: the booted system has only files).
import { readFile } from 'node:fs/promises';
import { UserLookupError } from './errors.js';

/** `name` and `home` are there when the passwd file has an entry. */
export interface UserIds { uid: number; gid: number; name?: string; home?: string }
export type UserResolver = (user: string | number) => Promise<UserIds>;

/** @throws UserLookupError when the name is not in the passwd file */
export function passwdResolver(passwd = '/etc/passwd'): UserResolver {
  return async (user) => {
    const text = await readFile(passwd, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      const [name, , uid, gid, , home] = line.split(':');
      if (name === undefined || uid === undefined) continue;
      if (typeof user === 'number' ? Number(uid) === user : name === user) return { uid: Number(uid), gid: Number(gid), name, ...(home ? { home } : {}) };
    }
    if (typeof user === 'number') return { uid: user, gid: user };
    throw new UserLookupError(`Cannot find user "${user}" in ${passwd}`);
  };
}
