// Declared tunables: a numeric const the code offers to the parameter search, marked by a comment on the line
// before it, `// @tunable min..max`. Found with the TypeScript AST, so a marker on anything but a single
// numeric `const` is an error rather than a silent miss. Changing one is judged by benchmarks only.
import type * as TS from 'typescript';
import { TunableMarkerError } from './errors.js';

export interface Tunable {
  path: string;
  name: string;
  value: number;
  min: number;
  max: number;
  /** Bounds and value are written as integers: only integers are proposed. */
  integer: boolean;
  /** 1-based line of the const. */
  line: number;
  /** Offsets of the literal's text (the unary minus included). */
  start: number;
  end: number;
}

const MARKER = /@tunable\b(?:\s+(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?))?/;

function markerOf(ts: typeof TS, text: string, node: TS.Node): RegExpExecArray | null {
  for (const r of ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []) {
    const m = MARKER.exec(text.slice(r.pos, r.end));
    if (m) return m;
  }
  return null;
}

function literalOf(ts: typeof TS, e: TS.Expression | undefined): { value: number; node: TS.Expression; raw: string } | null {
  if (!e) return null;
  if (ts.isNumericLiteral(e)) return { value: Number(e.text), node: e, raw: e.getText() };
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) {
    return { value: -Number(e.operand.text), node: e, raw: e.getText() };
  }
  return null;
}

function read(ts: typeof TS, sf: TS.SourceFile, path: string, stmt: TS.VariableStatement, m: RegExpExecArray): Tunable {
  const line = sf.getLineAndCharacterOfPosition(stmt.getStart(sf)).line + 1;
  const at = `${path}:${line}`;
  const decls = stmt.declarationList.declarations;
  const isConst = (stmt.declarationList.flags & ts.NodeFlags.Const) !== 0;
  const d = decls[0];
  const lit = d && literalOf(ts, d.initializer);
  if (!isConst || decls.length !== 1 || !lit || !ts.isIdentifier(d.name)) {
    throw new TunableMarkerError(`Cannot read the @tunable at ${at}: it must mark one numeric const`);
  }
  if (m[1] === undefined || m[2] === undefined) throw new TunableMarkerError(`Cannot read the @tunable at ${at}: it has no range "min..max"`);
  const [min, max] = [Number(m[1]), Number(m[2])];
  if (!(min < max) || lit.value < min || lit.value > max) {
    throw new TunableMarkerError(`Cannot read the @tunable at ${at}: ${d.name.text} = ${lit.value} is not inside a range ${min}..${max}`);
  }
  const integer = [m[1], m[2], lit.raw].every((s) => /^-?\d+$/.test(s.replace(/_/g, '')));
  return { path, name: d.name.text, value: lit.value, min, max, integer, line, start: lit.node.getStart(sf), end: lit.node.getEnd() };
}

/**
 * The tunables declared in one TypeScript file.
 * @throws TunableMarkerError for a marker that does not mark a single numeric const inside its range
 */
export function findTunables(ts: typeof TS, path: string, text: string): Tunable[] {
  if (!text.includes('@tunable')) return [];
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  const out: Tunable[] = [];
  const visit = (n: TS.Node): void => {
    const m = ts.isVariableStatement(n) ? markerOf(ts, text, n) : null;
    if (m) out.push(read(ts, sf, path, n as TS.VariableStatement, m));
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * The file's text with the tunable's literal set to `value`.
 * @throws TunableMarkerError for a value outside the declared range, or not an integer where one is declared
 */
export function setTunable(text: string, t: Tunable, value: number): string {
  if (!Number.isFinite(value) || value < t.min || value > t.max || (t.integer && !Number.isInteger(value))) {
    throw new TunableMarkerError(`Cannot set tunable ${t.name} (${t.path}:${t.line}) to ${value}: outside ${t.min}..${t.max}${t.integer ? ' or not an integer' : ''}`);
  }
  return text.slice(0, t.start) + String(value) + text.slice(t.end);
}
