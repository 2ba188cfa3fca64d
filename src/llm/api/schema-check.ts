// node-llama-cpp silently turns JSON-schema parts it cannot enforce into "any"; a caller who asked for a
// pattern or a bound would get output that does not match. Refuse such schemas up front, by name, where
// the caller asked for adherence (response_format, strict tools); drop them, by name, where OpenAI itself
// promises none (tools without "strict": true, whose arguments the client validates).
import { InvalidRequestError } from '../errors.js';

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);
const IGNORED = new Set(['title', 'description', '$schema', '$id', '$comment', 'examples', 'default', 'strict', 'deprecated', 'readOnly', 'writeOnly']);
const ENFORCED = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'items', 'prefixItems', 'minItems', 'maxItems', 'enum', 'const',
  'oneOf', 'anyOf', '$defs', '$ref', 'minLength', 'maxLength', 'format', 'minProperties', 'maxProperties',
]);
const FORMATS = new Set(['date-time', 'time', 'date']);

/** Throws InvalidRequestError(code invalid_schema) naming the first part of `schema` that grammar cannot enforce. */
export function checkSchema(schema: unknown, param: string): void {
  const defs = (schema as { $defs?: Record<string, unknown> } | null)?.$defs ?? {};
  const bad = (at: string, why: string): never => { throw new InvalidRequestError(`Invalid JSON schema in "${param}" at "${at || '/'}": ${why}`, { param, code: 'invalid_schema' }); };
  const walk = (s: unknown, at: string): void => {
    if (typeof s === 'boolean') return;
    if (typeof s !== 'object' || s === null || Array.isArray(s)) bad(at, 'a schema must be an object');
    for (const [k, v] of Object.entries(s as Record<string, unknown>)) {
      if (IGNORED.has(k)) continue;
      if (!ENFORCED.has(k)) bad(`${at}/${k}`, `"${k}" cannot be enforced by the grammar (supported: ${[...ENFORCED].join(', ')})`);
      if (k === 'type') for (const t of Array.isArray(v) ? v : [v]) if (!TYPES.has(t as string)) bad(`${at}/type`, `unknown type ${JSON.stringify(t)}`);
      if (k === 'format' && !FORMATS.has(v as string)) bad(`${at}/format`, `format ${JSON.stringify(v)} cannot be enforced (supported: ${[...FORMATS].join(', ')})`);
      if (k === '$ref' && (typeof v !== 'string' || !v.startsWith('#/$defs/') || !(v.slice(8) in defs))) bad(`${at}/$ref`, `${JSON.stringify(v)} does not name an entry of "$defs"`);
      if (k === 'properties' || k === '$defs') {
        if (typeof v !== 'object' || v === null) bad(`${at}/${k}`, 'must be an object');
        for (const [p, sub] of Object.entries(v as Record<string, unknown>)) walk(sub, `${at}/${k}/${p}`);
      }
      if (k === 'items' || k === 'additionalProperties') walk(v, `${at}/${k}`);
      if (k === 'prefixItems' || k === 'oneOf' || k === 'anyOf') {
        if (!Array.isArray(v)) bad(`${at}/${k}`, 'must be an array');
        (v as unknown[]).forEach((sub, i) => walk(sub, `${at}/${k}/${i}`));
      }
    }
  };
  walk(schema, '');
}

/** Validation keywords a grammar cannot enforce but a client can check afterwards. */
const RELAXABLE = new Set(['pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'uniqueItems']);

/**
 * `schema` without the keywords of RELAXABLE (and unsupported string formats), with the paths dropped, so
 * the grammar enforces the shape: types, properties, required, enums, lengths. Other problems stay.
 */
export function relaxSchema(schema: unknown): { schema: unknown; dropped: string[] } {
  const dropped: string[] = [];
  const walk = (s: unknown, at: string): unknown => {
    if (Array.isArray(s)) return s.map((x, i) => walk(x, `${at}/${i}`));
    if (typeof s !== 'object' || s === null) return s;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s as Record<string, unknown>)) {
      const p = `${at}/${k}`;
      if (RELAXABLE.has(k) || (k === 'format' && !FORMATS.has(v as string))) { dropped.push(p); continue; }
      // Property names and enum/const values are data, not keywords.
      out[k] = k === 'enum' || k === 'const' ? v : k === 'properties' || k === '$defs'
        ? Object.fromEntries(Object.entries((v ?? {}) as Record<string, unknown>).map(([n, sub]) => [n, walk(sub, `${p}/${n}`)]))
        : walk(v, p);
    }
    return out;
  };
  return { schema: walk(schema, ''), dropped };
}
