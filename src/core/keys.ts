// This machine's own signing key, made on first boot, and whether the machine trusts it. Which keys a
// machine trusts is explicit configuration: `keys/policy.json` `{"trustMachineKey": true}` (the image
// ships that default) adds the machine key to `keys/trust.json`; without it trust.json is left alone.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../std/index.js';
import { MachineKeyError } from './errors.js';
import type { SigningKey } from './ports.js';

export interface TrustedKey {
  keyId: string;
  name: string;
  publicKey: string;
}

/** `machine.pub`: the public half and its id (gen build reads the id from here to sign). */
export type MachinePub = TrustedKey;

export interface MachineKeyResult {
  created: boolean;
  keyId: string;
  trusted: boolean;
  /** True when this call added the key to trust.json. */
  addedToTrust: boolean;
}

async function readJson(path: string): Promise<unknown | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new MachineKeyError(`Cannot read "${path}"`, { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new MachineKeyError(`Cannot read "${path}": not valid JSON`, { cause: err });
  }
}

/** True only when policy.json exists and says `"trustMachineKey": true`. */
export async function readTrustPolicy(keysDir: string): Promise<boolean> {
  const p = (await readJson(join(keysDir, 'policy.json'))) as { trustMachineKey?: unknown } | null;
  return p !== null && typeof p === 'object' && p.trustMachineKey === true;
}

/**
 * Makes the machine key on first boot (machine.pub, then machine.key mode 0600: machine.key existing means
 * the pair is complete) and, when the policy says so, makes sure trust.json lists it. Idempotent: run on
 * every start, so a crash between the steps is repaired on the next boot.
 * @throws MachineKeyError on unreadable or malformed key files or trust.json
 */
export async function ensureMachineKey(
  keysDir: string,
  generate: () => SigningKey | Promise<SigningKey>,
  hostname = 'machine',
): Promise<MachineKeyResult> {
  const keyPath = join(keysDir, 'machine.key');
  const pubPath = join(keysDir, 'machine.pub');
  let created = false;
  let pub = (await readJson(pubPath)) as MachinePub | null;
  await mkdir(keysDir, { recursive: true });
  const keyExists = await readFile(keyPath).then(() => true, () => false);
  if (!keyExists || pub === null) {
    const k = await generate();
    pub = { keyId: k.keyId, name: `machine key of ${hostname}`, publicKey: k.publicKey };
    await writeFileAtomic(pubPath, JSON.stringify(pub, null, 2) + '\n', 0o644);
    await writeFileAtomic(keyPath, k.privateKeyPem, 0o600);
    created = true;
  }
  if (typeof pub.keyId !== 'string' || typeof pub.publicKey !== 'string') {
    throw new MachineKeyError(`Cannot use "${pubPath}": keyId or publicKey missing`);
  }
  const trusted = await readTrustPolicy(keysDir);
  let addedToTrust = false;
  if (trusted) {
    const trustPath = join(keysDir, 'trust.json');
    const trust = ((await readJson(trustPath)) ?? { keys: [] }) as { keys?: unknown };
    if (!Array.isArray(trust.keys)) throw new MachineKeyError(`Cannot use "${trustPath}": "keys" is not a list`);
    const keys = trust.keys as TrustedKey[];
    if (!keys.some((k) => k.keyId === pub!.keyId)) {
      const entry: TrustedKey = { keyId: pub.keyId, name: pub.name, publicKey: pub.publicKey };
      await writeFileAtomic(trustPath, JSON.stringify({ ...trust, keys: [...keys, entry] }, null, 2) + '\n', 0o644);
      addedToTrust = true;
    }
  }
  return { created, keyId: pub.keyId, trusted, addedToTrust };
}
