// Ed25519 signatures over the exact manifest bytes (manifest.sig). Three distinct failures, because
// the boot stage treats them differently: unsigned and invalid condemn the generation, an unknown
// key may just mean trust.json lacks a key the owner still has to add.
import { sign, verify, createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { SignatureInvalidError, UnsignedGenerationError, UntrustedKeyError } from './errors.js';
import { keyIdOf, publicKeyFromRaw, publicKeyRawB64, type TrustConfig } from './keys.js';
import type { ManifestSignature } from './types.js';

const sigSchema = z.strictObject({
  alg: z.literal('ed25519'),
  keyId: z.string().regex(/^k-[0-9a-f]{16}$/),
  sig: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
});

/** Signs manifest bytes with a PKCS#8 PEM Ed25519 private key. */
export function signManifest(manifestBytes: Uint8Array, privateKeyPem: string): ManifestSignature {
  const key = createPrivateKey(privateKeyPem);
  return { alg: 'ed25519', keyId: keyIdOf(publicKeyRawB64(key)), sig: sign(null, manifestBytes, key).toString('base64') };
}

/** manifest.sig bytes for a signature (canonical: sorted keys, no spaces). */
export function encodeSignature(sig: ManifestSignature): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ alg: sig.alg, keyId: sig.keyId, sig: sig.sig }));
}

/**
 * Checks that `sigBytes` is a valid signature of `manifestBytes` by a trusted key.
 * `label` names the generation in messages.
 * @throws UnsignedGenerationError when there is no signature or it is empty
 * @throws SignatureInvalidError when manifest.sig is malformed or does not verify
 * @throws UntrustedKeyError when the signing key is not in `trust`
 */
export function verifyManifestSignature(manifestBytes: Uint8Array, sigBytes: Uint8Array | null, trust: TrustConfig, label = 'manifest'): ManifestSignature {
  if (sigBytes === null || sigBytes.length === 0) {
    throw new UnsignedGenerationError(`Cannot boot generation "${label}": manifest.sig is missing or empty`);
  }
  let parsed: ManifestSignature;
  try {
    parsed = sigSchema.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(sigBytes)));
  } catch (err) {
    throw new SignatureInvalidError(`Cannot boot generation "${label}": manifest.sig is malformed`, { cause: err });
  }
  // One encoding per signature: base64's unused low bits and JSON spacing would otherwise let a damaged
  // manifest.sig decode to the same bytes and pass, hiding the damage.
  const canonicalSig = Buffer.from(parsed.sig, 'base64').toString('base64');
  if (canonicalSig !== parsed.sig || Buffer.compare(Buffer.from(sigBytes), Buffer.from(encodeSignature(parsed))) !== 0) {
    throw new SignatureInvalidError(`Cannot boot generation "${label}": manifest.sig is not in its canonical encoding (damaged or hand-edited)`);
  }
  const key = trust.keys.find((k) => k.keyId === parsed.keyId);
  if (!key) {
    throw new UntrustedKeyError(`Cannot boot generation "${label}": signing key "${parsed.keyId}" is not in the trust configuration`);
  }
  let ok = false;
  try {
    ok = verify(null, manifestBytes, publicKeyFromRaw(key.publicKey), Buffer.from(parsed.sig, 'base64'));
  } catch (err) {
    throw new SignatureInvalidError(`Cannot boot generation "${label}": signature check with key "${key.keyId}" failed`, { cause: err });
  }
  if (!ok) {
    throw new SignatureInvalidError(`Cannot boot generation "${label}": manifest signature does not match key "${key.keyId}" (${key.name})`);
  }
  return parsed;
}
