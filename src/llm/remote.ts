// Remote models: an OpenAI-compatible endpoint the owner configured in <state>/llm/remotes.json appears as
// one more model; requests are forwarded with the remote's model id and key, streams passed through.
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { UpstreamError } from './errors.js';

const remoteSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/),
  baseUrl: z.url({ protocol: /^https?$/ }),
  model: z.string().min(1),
  apiKey: z.string().optional(),
  apiKeyFile: z.string().optional(),
  timeoutMs: z.number().int().positive().optional(),
  capabilities: z.strictObject({ chat: z.boolean(), embeddings: z.boolean(), tools: z.boolean() }).partial().optional(),
});
const fileSchema = z.union([z.array(remoteSchema), z.strictObject({ remotes: z.array(remoteSchema) })]);

export type RemoteModel = z.infer<typeof remoteSchema>;

export class RemoteConfigError extends Error {
  override name = 'RemoteConfigError';
}

/** Reads remotes.json; a missing file = no remotes. Throws RemoteConfigError naming the bad field. */
export async function loadRemotes(file: string): Promise<RemoteModel[]> {
  let text: string;
  try { text = await readFile(file, 'utf8'); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new RemoteConfigError(`Cannot read "${file}": ${(err as Error).message}`);
  }
  let v: unknown;
  try { v = JSON.parse(text); } catch (err) { throw new RemoteConfigError(`Cannot parse "${file}": ${(err as Error).message}`); }
  const r = fileSchema.safeParse(v);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new RemoteConfigError(`Invalid remote model in "${file}" at "${i.path.join('.')}": ${i.message}`);
  }
  return Array.isArray(r.data) ? r.data : r.data.remotes;
}

async function keyOf(r: RemoteModel): Promise<string | undefined> {
  if (r.apiKey) return r.apiKey;
  if (r.apiKeyFile) return (await readFile(r.apiKeyFile, 'utf8')).trim();
  return undefined;
}

/**
 * Forwards `body` (with the remote's model id) to `<baseUrl><path>` and pipes the answer into `res`.
 * Throws UpstreamError (502) when the remote cannot be reached.
 */
export async function proxyRemote(r: RemoteModel, path: string, body: Record<string, unknown>, res: ServerResponse, signal: AbortSignal): Promise<void> {
  const key = await keyOf(r).catch((err: Error) => { throw new UpstreamError(`Cannot read the key of remote model "${r.name}": ${err.message}`, 502); });
  const url = `${r.baseUrl.replace(/\/+$/, '')}${path}`;
  let up: Response;
  try {
    up = await fetch(url, {
      method: 'POST', signal: AbortSignal.any([signal, AbortSignal.timeout(r.timeoutMs ?? 600_000)]),
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ ...body, model: r.model }),
    });
  } catch (err) {
    throw new UpstreamError(`Remote model "${r.name}" at ${r.baseUrl} did not answer: ${(err as Error).message}`, 502, { cause: err });
  }
  const headers: Record<string, string> = { 'content-type': up.headers.get('content-type') ?? 'application/json' };
  const ra = up.headers.get('retry-after');
  if (ra) headers['retry-after'] = ra;
  res.writeHead(up.status, headers);
  if (!up.body) { res.end(); return; }
  await new Promise<void>((resolve) => {
    const src = Readable.fromWeb(up.body as never);
    src.on('data', (d: Buffer) => res.write(d));
    src.on('end', () => { res.end(); resolve(); });
    src.on('error', () => { res.end(); resolve(); });
  });
}
