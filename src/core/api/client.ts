// The client side of the API, over the unix socket: what every `dialogos` command uses.
import { request, type IncomingMessage } from 'node:http';
import { ApiResponseError, DaemonUnreachableError } from './errors.js';

export interface ClientOptions {
  socketPath: string;
  timeoutMs?: number;
}

const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ENOTSOCK', 'ECONNRESET', 'EPIPE']);

function open(o: ClientOptions, method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<IncomingMessage> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({
      socketPath: o.socketPath, method, path,
      headers: text === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      ...(signal ? { signal } : {}),
    }, resolve);
    if (o.timeoutMs) req.setTimeout(o.timeoutMs, () => req.destroy(new DaemonUnreachableError(`Cannot reach dialogosd at "${o.socketPath}": no answer in ${o.timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof DaemonUnreachableError || err.name === 'AbortError') reject(err);
      else if (UNREACHABLE.has(err.code ?? '')) {
        const why = err.code === 'ENOENT' ? 'no socket (is it running? try `dialogos host start --state DIR` or set DIALOGOS_STATE)' : err.message;
        reject(new DaemonUnreachableError(`Cannot reach dialogosd at "${o.socketPath}": ${why}`, { cause: err }));
      }
      else reject(err);
    });
    req.end(text);
  });
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One API call; resolves with the parsed JSON answer.
 * @throws DaemonUnreachableError (nothing answers), ApiResponseError (an error answer: status, name, message)
 * @example await apiCall({ socketPath }, 'POST', '/v1/units/web/start', { wait: true })
 */
export async function apiCall<T = unknown>(o: ClientOptions, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await open(o, method, path, body);
  const text = await readAll(res);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiResponseError(res.statusCode ?? 0, 'BadResponse', `dialogosd answered ${res.statusCode} with a body that is not JSON`);
  }
  if ((res.statusCode ?? 500) >= 400) {
    const e = (json as { error?: { name?: string; message?: string; issues?: unknown } }).error ?? {};
    throw new ApiResponseError(res.statusCode ?? 500, e.name ?? 'Error', e.message ?? `HTTP ${res.statusCode}`, e.issues);
  }
  return json as T;
}

/**
 * Reads a server-sent event stream until `signal` aborts or the server ends it.
 * @throws DaemonUnreachableError, ApiResponseError for an error answer
 */
export async function apiEvents(o: ClientOptions, path: string, onEvent: (event: string, data: unknown) => void, signal?: AbortSignal): Promise<void> {
  let res: IncomingMessage;
  try {
    res = await open(o, 'GET', path, undefined, signal);
  } catch (err) {
    if ((err as Error).name === 'AbortError') return;
    throw err;
  }
  if ((res.statusCode ?? 500) >= 400) {
    const text = await readAll(res);
    let e: { name?: string; message?: string } = {};
    try { e = (JSON.parse(text) as { error: typeof e }).error; } catch { /* not JSON */ }
    throw new ApiResponseError(res.statusCode ?? 500, e.name ?? 'Error', e.message ?? `HTTP ${res.statusCode}`);
  }
  res.setEncoding('utf8');
  let buf = '';
  try {
    for await (const chunk of res) {
      buf += chunk as string;
      let cut: number;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (data.length) onEvent(event, JSON.parse(data.join('\n')));
      }
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError' && !signal?.aborted) throw err;
  }
}
