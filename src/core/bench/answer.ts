// Whether two servers answer alike: the bench's reference must send the same status, headers and bytes
// as dialogosd, or the comparison measures different work.
import { request } from 'node:http';

export interface Answer { status: number; headers: Record<string, string>; body: Buffer }

/** One GET over a unix socket (a keep-alive connection of its own, as the load generator's are). */
export function fetchAnswer(socketPath: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers: { connection: 'keep-alive' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (let i = 0; i < res.rawHeaders.length; i += 2) headers[res.rawHeaders[i]!.toLowerCase()] = res.rawHeaders[i + 1]!;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Headers whose value differs by the moment asked. */
const VOLATILE = new Set(['date']);

/** The ways two answers differ (empty when alike): status, header names and values, body bytes. */
export function answerDifferences(a: Answer, b: Answer): string[] {
  const out: string[] = [];
  if (a.status !== b.status) out.push(`status ${a.status} vs ${b.status}`);
  const names = [...new Set([...Object.keys(a.headers), ...Object.keys(b.headers)])].sort();
  for (const n of names) {
    const [x, y] = [a.headers[n], b.headers[n]];
    if (x === undefined || y === undefined) out.push(`header "${n}" only in ${x === undefined ? 'the second' : 'the first'}`);
    else if (x !== y && !VOLATILE.has(n)) out.push(`header "${n}": "${x}" vs "${y}"`);
  }
  if (!a.body.equals(b.body)) out.push(`body: ${a.body.length} bytes vs ${b.body.length} bytes, not the same bytes`);
  return out;
}
