// Canonical JSON: the one byte form of a value, so that a manifest's hash (its id) and signature
// depend only on its content. Keys sorted by code unit, no whitespace, JSON.stringify escaping.
import { CanonicalJsonError } from './errors.js';

/**
 * Encodes `value` as canonical JSON text.
 * @throws CanonicalJsonError for undefined, functions, symbols, bigints, non-finite numbers,
 *   or objects that are not plain (Date, Map, class instances)
 * @example canonicalJson({ b: 1, a: [true, null] }) === '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

/** Canonical JSON as UTF-8 bytes. @throws CanonicalJsonError as canonicalJson */
export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

function encode(v: unknown, at: string): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new CanonicalJsonError(`Cannot encode canonical JSON: ${at} is the non-finite number ${v}`);
    return JSON.stringify(Object.is(v, -0) ? 0 : v);
  }
  if (Array.isArray(v)) return `[${v.map((x, i) => encode(x, `${at}[${i}]`)).join(',')}]`;
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      throw new CanonicalJsonError(`Cannot encode canonical JSON: ${at} is not a plain object`);
    }
    const rec = v as Record<string, unknown>;
    const keys = Object.keys(rec).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(rec[k], `${at}.${k}`)}`).join(',')}}`;
  }
  throw new CanonicalJsonError(`Cannot encode canonical JSON: ${at} is ${typeof v}`);
}
