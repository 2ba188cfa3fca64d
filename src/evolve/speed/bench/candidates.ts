// The demonstration's candidates, written as the loop's proposer would write them: whole-file changes to the
// parent's own sources. One is faster, one slower, one equal (a rename), and one faster on its target but
// slower on another benchmark.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileChange } from '../../candidate.js';

/** Replaces `from` in the parent's text, which must hold it exactly once (the demo fails loudly otherwise). */
function edit(root: string, path: string, from: string, to: string, more: FileChange[] = []): FileChange[] {
  const before = readFileSync(join(root, path), 'utf8');
  if (before.split(from).length !== 2) throw new Error(`Cannot make the demo candidate: "${path}" does not hold ${JSON.stringify(from.slice(0, 60))} once`);
  return [...more, { path, before, after: before.replace(from, () => to) }];
}

const CANONICAL = 'src/gen/canonical.ts';
const ENTRY = "export function canonicalJson(value: unknown): string {\n  return encode(value, '$');\n}\n";

/** The fast path: no location strings, no closures, no intermediate arrays; a failure re-walks to name it. */
const FAST = `export function canonicalJson(value: unknown): string {
  // The fast path builds no location strings; only a value it cannot encode is walked again, to name the place.
  try {
    return fast(value);
  } catch (e) {
    if (e !== UNENCODABLE) throw e;
    return encode(value, '$');
  }
}

const UNENCODABLE = Symbol('unencodable');

function fast(v: unknown): string {
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw UNENCODABLE;
      return v === 0 ? '0' : JSON.stringify(v);
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) s += (i === 0 ? '' : ',') + (i in v ? fast(v[i]) : '');
        return s + ']';
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw UNENCODABLE;
      const rec = v as Record<string, unknown>;
      const keys = Object.keys(rec).sort();
      let s = '{';
      for (let i = 0; i < keys.length; i++) s += (i === 0 ? '' : ',') + JSON.stringify(keys[i]) + ':' + fast(rec[keys[i]!]);
      return s + '}';
    }
    default: throw UNENCODABLE;
  }
}
`;

const SLOW = `export function canonicalJson(value: unknown): string {
  const text = encode(value, '$');
  JSON.parse(text); // a defensive re-read: the text always parses, so this only costs time
  return text;
}
`;

export interface DemoCandidate {
  name: string;
  /** What the stage should decide. */
  expect: 'accept' | 'reject';
  changes: FileChange[];
}

export function demoCandidates(root: string): DemoCandidate[] {
  const memo = "  let t = memo.get(word);\n  if (t) return t;\n";
  return [
    { name: 'faster canonicalJson', expect: 'accept', changes: edit(root, CANONICAL, ENTRY, FAST) },
    { name: 'slower canonicalJson (re-parses its output)', expect: 'reject', changes: edit(root, CANONICAL, ENTRY, SLOW) },
    {
      name: 'equal canonicalJson (a local renamed)', expect: 'reject',
      changes: edit(root, CANONICAL, 'const rec = v as', 'const record = v as')
        .map((c) => ({ ...c, after: c.after!.replace(/\brec\[/g, 'record[').replace(/Object\.keys\(rec\)/, 'Object.keys(record)') })),
    },
    { name: 'faster canonicalJson, slower tokenize (memo dropped)', expect: 'reject', changes: edit(root, 'src/mind/tokens.ts', memo, '  let t: string[];\n', edit(root, CANONICAL, ENTRY, FAST)) },
  ];
}
