// A chat-model proposer over any OpenAI-compatible API (the project's llm service, src/llm): it shows the
// model the code around the top suspects with line numbers and asks for JSON edits {path, line, before,
// after}, which the service enforces with a grammar built from the schema. Each reply is counted as
// well-formed (JSON of that shape) or malformed, and well-formed edits that match the file are applied.
import type { Proposal, ProposeContext, Proposer } from '../types.js';
import { FileCache, toProposals, type EditIdea, type Ts } from './edit.js';
import { ChatRequestError } from './errors.js';
import { lineStarts } from './sites.js';

export interface ChatOptions {
  /** Base URL of the API, including /v1 (e.g. the llm service's `baseUrl`). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Digest of the model's weights, recorded in the provenance (default 'unknown'). */
  weightsDigest?: string;
  /** Replies asked for per run (default 4), each with its own seed. */
  replies?: number;
  maxTokens?: number;
  temperature?: number;
  /** Suspects shown to the model (default 3) and lines of context around each (default 6). */
  suspects?: number;
  context?: number;
  fetch?: typeof fetch;
}

/** What the model's replies were like, over the proposer's life. */
export interface ChatStats {
  replies: number;
  wellFormed: number;
  malformed: number;
  /** Well-formed edits whose `before` matched the named line (or one next to it). */
  applicable: number;
  /** Well-formed edits that did not. */
  inapplicable: number;
}

export interface ChatEdit { path: string; line: number; before: string; after: string }

/** The JSON schema of a reply (only keywords the llm service can enforce by grammar). */
export const EDITS_SCHEMA = {
  type: 'object',
  properties: {
    edits: {
      type: 'array', minItems: 1, maxItems: 3,
      items: {
        type: 'object',
        properties: { path: { type: 'string', maxLength: 120 }, line: { type: 'integer' }, before: { type: 'string', minLength: 1, maxLength: 160 }, after: { type: 'string', maxLength: 160 } },
        required: ['path', 'line', 'before', 'after'], additionalProperties: false,
      },
    },
  },
  required: ['edits'], additionalProperties: false,
} as const;

/** The reply's edits when it is well-formed, else null. */
export function parseReply(content: string | null | undefined): ChatEdit[] | null {
  let v: unknown;
  try {
    v = JSON.parse(content ?? '');
  } catch {
    return null;
  }
  const edits = (v as { edits?: unknown } | null)?.edits;
  if (!Array.isArray(edits) || edits.length === 0) return null;
  const ok = edits.every((e: Partial<ChatEdit>) => e && typeof e.path === 'string' && Number.isInteger(e.line) && typeof e.before === 'string' && e.before.length > 0 && typeof e.after === 'string');
  return ok ? (edits as ChatEdit[]) : null;
}

async function prompt(files: FileCache, ctx: ProposeContext, o: ChatOptions): Promise<string> {
  const parts: string[] = [];
  for (const s of ctx.suspects.slice(0, o.suspects ?? 3)) {
    const lines = (await files.read(s.path)).split('\n');
    const from = Math.max(1, s.line - (o.context ?? 6)), to = Math.min(lines.length, s.line + (o.context ?? 6));
    const shown = lines.slice(from - 1, to).map((l, i) => `${String(from + i).padStart(4)}| ${l}`).join('\n');
    parts.push(`${s.path} (suspect line ${s.line}, score ${s.score.toFixed(2)}):\n${shown}`);
  }
  const goal = ctx.target.kind === 'tests' ? `Make these failing tests pass: ${ctx.target.failToPass.map((t) => `${t.file} "${t.name}"`).join(', ') || ctx.target.origin}`
    : `Make benchmark "${ctx.target.benchmark}" faster without changing behaviour`;
  return `${goal}.\n\n${parts.join('\n\n')}\n\nReply with JSON {"edits":[{"path","line","before","after"}]}: on that line, replace the exact text "before" by "after".`;
}

/** A chat-model proposer; `stats` counts its replies. */
export function chatProposer(ts: Ts, o: ChatOptions): Proposer & { readonly stats: ChatStats; wellFormedRate(): number } {
  const stats: ChatStats = { replies: 0, wellFormed: 0, malformed: 0, applicable: 0, inapplicable: 0 };
  const doFetch = o.fetch ?? fetch;
  async function ask(text: string, seed: number): Promise<string | null> {
    const url = `${o.baseUrl.replace(/\/$/, '')}/chat/completions`;
    const body = {
      model: o.model, seed, max_tokens: o.maxTokens ?? 400, temperature: o.temperature ?? 0.7,
      messages: [{ role: 'system', content: 'You repair TypeScript code. Answer only with the JSON edits asked for.' }, { role: 'user', content: text }],
      response_format: { type: 'json_schema', json_schema: { name: 'edits', schema: EDITS_SCHEMA } },
    };
    let res: Response;
    try {
      res = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) }, body: JSON.stringify(body) });
    } catch (cause) {
      throw new ChatRequestError(`Cannot ask model "${o.model}" at "${url}" for edits: ${(cause as Error).message}`, { cause });
    }
    const raw = await res.text();
    if (!res.ok) throw new ChatRequestError(`Cannot ask model "${o.model}" at "${url}" for edits: HTTP ${res.status} ${raw.slice(0, 200)}`);
    try {
      return (JSON.parse(raw) as { choices?: Array<{ message?: { content?: string | null } }> }).choices?.[0]?.message?.content ?? null;
    } catch {
      return null;
    }
  }
  async function* ideas(files: FileCache, ctx: ProposeContext): AsyncIterable<EditIdea> {
    const text = await prompt(files, ctx, o);
    const allowed = new Set(ctx.suspects.map((s) => s.path));
    for (let i = 0; i < (o.replies ?? 4); i++) {
      const edits = parseReply(await ask(text, ctx.seed + i));
      stats.replies++;
      if (!edits) { stats.malformed++; continue; }
      stats.wellFormed++;
      for (const e of edits) {
        const edit = allowed.has(e.path) ? locate(await files.read(e.path), e) : null;
        if (!edit) { stats.inapplicable++; continue; }
        stats.applicable++;
        yield { path: e.path, edit, operator: 'chat-edit', prior: 1 / (1 + i), description: `chat edit at ${e.path}:${e.line}: "${e.before}" -> "${e.after}"` };
      }
    }
  }
  return {
    name: `chat(${o.model})`,
    stats,
    wellFormedRate: () => (stats.replies ? stats.wellFormed / stats.replies : 0),
    propose(ctx: ProposeContext): AsyncIterable<Proposal> {
      const files = new FileCache(ctx.root);
      const model = { id: o.model, weightsDigest: o.weightsDigest ?? 'unknown' };
      const out = toProposals(ts, files, ideas(files, ctx), { proposer: `chat(${o.model})`, limit: ctx.limit, seed: ctx.seed });
      return (async function* () {
        const p = await prompt(files, ctx, o);
        for await (const x of out) yield { ...x, provenance: { ...x.provenance, model, prompt: p } };
      })();
    },
  };
}

/** The span `before` on the named line, or on a line next to it (models miscount by one). */
function locate(text: string, e: ChatEdit): { start: number; end: number; text: string } | null {
  const starts = lineStarts(text);
  for (const line of [e.line, e.line - 1, e.line + 1]) {
    const from = starts[line - 1];
    if (from === undefined) continue;
    const end = starts[line] ?? text.length;
    const at = text.slice(from, end).indexOf(e.before);
    if (at >= 0) return { start: from + at, end: from + at + e.before.length, text: e.after };
  }
  return null;
}
