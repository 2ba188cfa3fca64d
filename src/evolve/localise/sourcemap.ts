// Just enough of Source Map v3 for fault localisation: which lines of the TypeScript source each line of
// the emitted JavaScript came from (tsconfig emits a .js.map beside every dist/*.js).

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...B64].map((c, i) => [c, i]));

/** Decodes one segment's base64 VLQ fields. */
export function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0, shift = 0;
  for (const c of segment) {
    const d = DIGIT.get(c);
    if (d === undefined) throw new RangeError(`Cannot decode source map segment "${segment}": "${c}" is not base64`);
    value += (d & 31) << shift;
    if (d & 32) { shift += 5; continue; }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0; shift = 0;
  }
  return out;
}

export interface LineMap {
  /** Sources as the map names them (relative to the map's folder, with sourceRoot applied). */
  sources: string[];
  /** lines[jsLine - 1]: the [source index, 1-based source line] pairs of that generated line's segments. */
  lines: Array<Array<[number, number]>>;
}

/** Reads a source map's `mappings` into generated line → original lines. */
export function lineMap(mapText: string): LineMap {
  const map = JSON.parse(mapText) as { sources: string[]; sourceRoot?: string; mappings: string };
  const root = map.sourceRoot ? map.sourceRoot.replace(/\/?$/, '/') : '';
  let src = 0, line = 0;
  const lines = map.mappings.split(';').map((group) => {
    const here: Array<[number, number]> = [];
    for (const seg of group.split(',')) {
      if (!seg) continue;
      const f = decodeVlq(seg);
      if (f.length < 4) continue;
      src += f[1]!;
      line += f[2]!;
      if (!here.some(([s, l]) => s === src && l === line + 1)) here.push([src, line + 1]);
    }
    return here;
  });
  return { sources: map.sources.map((s) => root + s), lines };
}
