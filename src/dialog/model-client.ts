// The llm service (or any OpenAI-compatible endpoint) through fetch: model list with capabilities, and
// streamed chat completions whose tool-call deltas are put back together.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelError } from './errors.js';
import type { ChatRequest, ModelClient, ModelInfo, ToolCall } from './types.js';

/** The base URL the llm service writes to `<runDir>/llm.json`, or null when it is not running. */
export async function discoverBaseUrl(runDir: string): Promise<string | null> {
  try {
    const j = JSON.parse(await readFile(join(runDir, 'llm.json'), 'utf8')) as { baseUrl?: unknown };
    return typeof j.baseUrl === 'string' ? j.baseUrl.replace(/\/$/, '') : null;
  } catch {
    return null;
  }
}

interface Delta { content?: string | null; tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }> }

/** A ModelClient for `baseUrl` (`http://127.0.0.1:PORT/v1`); `apiKey` for remote endpoints. */
export function httpModelClient(baseUrl: string, opts: { apiKey?: string; timeoutMs?: number } = {}): ModelClient {
  const headers = { 'content-type': 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) };
  const timeout = opts.timeoutMs ?? 300_000;
  async function post(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    // Listing models must be quick: the console asks at start and must not hang on a stuck service.
    const limit = AbortSignal.timeout(path === '/models' ? Math.min(timeout, 10_000) : timeout);
    const sig = signal ? AbortSignal.any([signal, limit]) : limit;
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, { method: path === '/models' ? 'GET' : 'POST', headers, ...(path === '/models' ? {} : { body: JSON.stringify(body) }), signal: sig });
    } catch (err) {
      throw new ModelError(`Cannot reach the model endpoint at "${baseUrl}": ${(err as Error).message}`, { cause: err });
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      const msg = (() => { try { return (JSON.parse(text) as { error?: { message?: string } }).error?.message; } catch { return undefined; } })();
      throw new ModelError(`The model endpoint at "${baseUrl}" answered ${res.status} to ${path}: ${msg ?? text.slice(0, 200)}`);
    }
    return res;
  }
  return {
    async models() {
      const j = (await (await post('/models', null)).json()) as { data?: Array<{ id: string; capabilities?: Partial<Record<'chat' | 'embeddings' | 'tools', boolean>> }> };
      // An endpoint that does not say what a model can do (a plain OpenAI server) is taken to chat with tools.
      return (j.data ?? []).map((m): ModelInfo => ({ id: m.id, chat: m.capabilities?.chat ?? true, embeddings: m.capabilities?.embeddings ?? false, tools: m.capabilities?.tools ?? true }));
    },
    async chat(req: ChatRequest, onDelta, signal) {
      const res = await post('/chat/completions', { ...req, stream: true }, signal);
      if (!res.body) throw new ModelError(`The model endpoint at "${baseUrl}" sent no body`);
      let content = '';
      const calls: ToolCall[] = [];
      let buf = '';
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line.startsWith('data:')) continue;
          const data = line.slice(5).trim();
          if (data === '[DONE]') continue;
          let ev: { choices?: Array<{ delta?: Delta }>; error?: { message?: string } };
          try {
            ev = JSON.parse(data);
          } catch {
            throw new ModelError(`The model endpoint at "${baseUrl}" streamed an event that is not JSON: ${data.slice(0, 100)}`);
          }
          if (ev.error) throw new ModelError(`The model failed while answering: ${ev.error.message ?? 'unknown error'}`);
          const d = ev.choices?.[0]?.delta;
          if (d?.content) { content += d.content; onDelta?.(d.content); }
          for (const t of d?.tool_calls ?? []) {
            const slot = (calls[t.index] ??= { id: t.id ?? `call_${t.index}`, type: 'function', function: { name: '', arguments: '' } });
            if (t.id) slot.id = t.id;
            if (t.function?.name) slot.function.name += t.function.name;
            if (t.function?.arguments) slot.function.arguments += t.function.arguments;
          }
        }
      }
      return { content, toolCalls: calls.filter(Boolean) };
    },
  };
}

/**
 * A ModelClient for the llm service of an instance, found through `<runDir>/llm.json` on every call: the
 * console starts as soon as the machine is ready, often before the llm service has written that file, and
 * a session must pick the model up once the service is there (and follow it when it restarts on a new port).
 */
export function discoveredModelClient(runDir: string, opts: { apiKey?: string; timeoutMs?: number } = {}): ModelClient {
  let cached: { base: string; client: ModelClient } | null = null;
  async function current(): Promise<ModelClient> {
    const base = await discoverBaseUrl(runDir);
    if (!base) throw new ModelError(`The llm service is not up (no ${join(runDir, 'llm.json')} yet); it is used as soon as it is (\`dialogos svc start llm\` starts it)`);
    if (cached?.base !== base) cached = { base, client: httpModelClient(base, opts) };
    return cached.client;
  }
  return {
    async models() { return (await current()).models(); },
    async chat(req, onDelta, signal) { return (await current()).chat(req, onDelta, signal); },
  };
}
