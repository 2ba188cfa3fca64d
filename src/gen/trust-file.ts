// Reading keys/trust.json from the store's data directory.
import { TrustInvalidError, isNotFound } from './errors.js';
import type { FileSystem } from './fs.js';
import { parseTrust, type TrustConfig } from './keys.js';
import { storeLayout } from './layout.js';

/**
 * The trust configuration of the store at `storeRoot`; an absent file trusts no key.
 * @throws TrustInvalidError for an unreadable or invalid file
 */
export async function loadTrust(fs: FileSystem, storeRoot: string): Promise<TrustConfig> {
  const path = storeLayout(storeRoot).trust;
  try {
    return parseTrust(await fs.readFile(path));
  } catch (err) {
    if (isNotFound(err)) return { keys: [] };
    if (err instanceof TrustInvalidError) throw err;
    throw new TrustInvalidError(`Cannot read trust configuration "${path}": ${(err as Error).message}`, { cause: err });
  }
}
