// Ed25519 signing keys and the trust configuration (keys/trust.json). A key id is derived from the
// public key, so trust.json cannot pair a name with somebody else's key by mistake.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { TrustInvalidError } from './errors.js';
import { describeIssue } from './manifest.js';

export interface SigningKey {
  keyId: string;
  privateKeyPem: string;
  /** base64 of the raw 32-byte public key. */
  publicKey: string;
}

export interface TrustedKey {
  keyId: string;
  name: string;
  publicKey: string;
}

export interface TrustConfig {
  keys: TrustedKey[];
}

const rawKeyB64 = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'not base64 of 32 bytes');
const trustSchema = z.strictObject({
  keys: z.array(z.strictObject({ keyId: z.string().regex(/^k-[0-9a-f]{16}$/), name: z.string().max(256), publicKey: rawKeyB64 })),
});

/** `k-` + first 16 hex of sha256(raw public key). */
export function keyIdOf(publicKeyB64: string): string {
  return `k-${createHash('sha256').update(Buffer.from(publicKeyB64, 'base64')).digest('hex').slice(0, 16)}`;
}

/** A fresh Ed25519 key pair. */
export function generateSigningKey(): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKeyRawB64(publicKey);
  return { keyId: keyIdOf(raw), privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: raw };
}

/**
 * The signing key held in a PKCS#8 PEM file (the build key, a machine key).
 * @throws TrustInvalidError when the PEM is not an Ed25519 private key
 */
export function signingKeyFromPem(pem: string, label = 'key file'): SigningKey {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (cause) {
    throw new TrustInvalidError(`Cannot read signing key from ${label}: not a PEM private key`, { cause });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TrustInvalidError(`Cannot use signing key from ${label}: it is ${key.asymmetricKeyType}, not ed25519`);
  }
  const raw = publicKeyRawB64(key);
  return { keyId: keyIdOf(raw), privateKeyPem: pem, publicKey: raw };
}

/** base64 of the raw 32 bytes of an Ed25519 public (or private: its public half) key. */
export function publicKeyRawB64(key: KeyObject): string {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url').toString('base64');
}

/** A node KeyObject for a raw base64 Ed25519 public key. */
export function publicKeyFromRaw(publicKeyB64: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKeyB64, 'base64').toString('base64url') }, format: 'jwk' });
}

/**
 * Parses keys/trust.json.
 * @throws TrustInvalidError for bad JSON, unknown fields, malformed keys, or a keyId that is not
 *   derived from its public key
 */
export function parseTrust(bytes: Uint8Array): TrustConfig {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new TrustInvalidError(`Trust configuration refused: not UTF-8 JSON (${(err as Error).message})`, { cause: err });
  }
  const r = trustSchema.safeParse(json);
  if (!r.success) {
    throw new TrustInvalidError(`Trust configuration refused: ${describeIssue(r.error.issues[0]!, json).text}`, { cause: r.error });
  }
  for (const k of r.data.keys) {
    if (keyIdOf(k.publicKey) !== k.keyId) {
      throw new TrustInvalidError(`Trust configuration refused: key "${k.name}" has id "${k.keyId}" but its public key gives "${keyIdOf(k.publicKey)}"`);
    }
  }
  return r.data;
}

/** The trust entry for a signing key. */
export function trustEntry(key: SigningKey, name: string): TrustedKey {
  return { keyId: key.keyId, name, publicKey: key.publicKey };
}
