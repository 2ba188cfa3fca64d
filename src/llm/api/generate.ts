// /v1/chat/completions and /v1/completions on a local model: request → worker generation → OpenAI's
// response or SSE chunks. Streams start only once the worker accepted the prompt, so a prompt too long
// for the context is a 400 even with stream:true.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { CancelledError, RequestTimeoutError } from '../errors.js';
import type { LocalModels } from '../local-models.js';
import type { StoredModel } from '../store.js';
import type { GenerateResult } from '../worker-client.js';
import type { ChatMessageIn, GenerateRequest, GrammarSpec } from '../worker-protocol.js';
import { sendJson, startSse, writeSse } from './http-util.js';
import { textOf, type ChatRequest, type CompletionRequest } from './schemas.js';
import { checkSchema } from './schema-check.js';
import { parseToolCall, planTools } from './tools.js';
import { chatLogprobs, completionLogprobs, joinCompletionLogprobs } from './logprobs.js';

export interface CallContext {
  local: LocalModels;
  client: string;
  /** Aborts when the HTTP client goes away. */
  disconnect: AbortSignal;
  timeoutMs: number;
}

const now = () => Math.floor(Date.now() / 1000);
const stopsOf = (s: string | string[] | null | undefined): string[] => (s == null ? [] : typeof s === 'string' ? [s] : s);

/** OpenAI's penalties and logit_bias as the worker takes them; absent when the request sets none. */
function samplingOf(r: ChatRequest | CompletionRequest): Pick<GenerateRequest, 'penalties' | 'logitBias'> {
  const frequency = r.frequency_penalty ?? 0, presence = r.presence_penalty ?? 0;
  return {
    ...(frequency !== 0 || presence !== 0 ? { penalties: { frequency, presence } } : {}),
    ...(r.logit_bias && Object.keys(r.logit_bias).length ? { logitBias: r.logit_bias } : {}),
  };
}

/** Runs one generation with the request's cancellation and timeout; maps an expired timeout to 504. */
async function runGeneration(ctx: CallContext, model: StoredModel, req: Omit<GenerateRequest, 'type' | 'id'>, onStart: (n: number) => void, onChunk: (t: string) => void): Promise<GenerateResult> {
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = AbortSignal.any([ctx.disconnect, timeout]);
  try {
    return await ctx.local.run(model, ctx.client, signal, (w) => w.generate(req, { onStart, onChunk }, signal));
  } catch (err) {
    if (err instanceof CancelledError && timeout.aborted) throw new RequestTimeoutError(`The request did not finish within ${ctx.timeoutMs} ms`);
    throw err;
  }
}

function toMessages(r: ChatRequest, instructions: string | null): ChatMessageIn[] {
  const out: ChatMessageIn[] = instructions ? [{ role: 'system', content: instructions }] : [];
  for (const m of r.messages) {
    const role = m.role === 'developer' ? 'system' : m.role;
    const text = textOf(m.content);
    const calls = m.tool_calls?.map((c) => JSON.stringify({ name: c.function.name, arguments: c.function.arguments })).join('\n');
    out.push({ role, content: calls ? `${text}${text ? '\n' : ''}${calls}` : text });
  }
  return out;
}

export async function handleChat(ctx: CallContext, model: StoredModel, r: ChatRequest, res: ServerResponse): Promise<void> {
  const plan = planTools(r);
  const rf = r.response_format;
  let grammar: GrammarSpec | undefined = plan?.grammar;
  if (!grammar && rf?.type === 'json_object') grammar = { kind: 'json' };
  if (!grammar && rf?.type === 'json_schema') {
    checkSchema(rf.json_schema.schema, 'response_format.json_schema.schema');
    grammar = { kind: 'json-schema', schema: rf.json_schema.schema };
  }
  const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
  const created = now();
  const stream = r.stream === true;
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id, object: 'chat.completion.chunk', created, model: model.name, system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const result = await runGeneration(ctx, model, {
    prompt: { kind: 'chat', messages: toMessages(r, plan?.instructions ?? null) },
    maxTokens: r.max_completion_tokens ?? r.max_tokens ?? null,
    temperature: r.temperature ?? 0.8, topP: r.top_p ?? 1, ...(r.seed != null ? { seed: r.seed } : {}),
    stop: stopsOf(r.stop), ...(grammar ? { grammar } : {}), ...samplingOf(r),
    ...(r.logprobs ? { logprobs: { top: r.top_logprobs ?? 0, echo: false } } : {}),
  }, () => {
    if (!stream) return;
    startSse(res);
    writeSse(res, chunk({ role: 'assistant', content: '' }, null));
  }, (text) => { if (stream && !plan) writeSse(res, chunk({ content: text }, null)); });
  const call = plan ? parseToolCall(plan, result.text) : null;
  const finish = call ? 'tool_calls' : result.finish;
  const usage = { prompt_tokens: result.promptTokens, completion_tokens: result.completionTokens, total_tokens: result.promptTokens + result.completionTokens };
  if (stream) {
    if (plan && call) writeSse(res, chunk({ tool_calls: [{ index: 0, ...call }] }, null));
    else if (plan) writeSse(res, chunk({ content: result.text }, null));
    writeSse(res, chunk({}, finish));
    if (r.stream_options?.include_usage) writeSse(res, { id, object: 'chat.completion.chunk', created, model: model.name, choices: [], usage });
    writeSse(res, '[DONE]');
    res.end();
    return;
  }
  const message = call ? { role: 'assistant', content: null, tool_calls: [call], refusal: null } : { role: 'assistant', content: result.text, refusal: null };
  // A tool call's arguments are no message content: OpenAI gives them no log-probabilities either.
  const logprobs = r.logprobs ? chatLogprobs(call ? null : result.logprobs?.completion ?? []) : null;
  sendJson(res, 200, { id, object: 'chat.completion', created, model: model.name, system_fingerprint: null, choices: [{ index: 0, message, logprobs, finish_reason: finish }], usage });
}

export async function handleCompletion(ctx: CallContext, model: StoredModel, r: CompletionRequest, res: ServerResponse): Promise<void> {
  const prompt = typeof r.prompt === 'string' ? r.prompt : r.prompt[0]!;
  const id = `cmpl-${randomBytes(12).toString('hex')}`;
  const created = now();
  const stream = r.stream === true;
  const chunk = (text: string, finish: string | null) => ({ id, object: 'text_completion', created, model: model.name, choices: [{ index: 0, text, logprobs: null, finish_reason: finish }] });
  const result = await runGeneration(ctx, model, {
    prompt: { kind: 'text', text: prompt },
    // OpenAI's default for /v1/completions is 16 tokens.
    maxTokens: r.max_tokens ?? 16, temperature: r.temperature ?? 0.8, topP: r.top_p ?? 1,
    ...(r.seed != null ? { seed: r.seed } : {}), stop: stopsOf(r.stop), ...samplingOf(r),
    ...(r.logprobs != null ? { logprobs: { top: r.logprobs, echo: r.echo === true } } : {}),
  }, () => {
    if (!stream) return;
    startSse(res);
    if (r.echo) writeSse(res, chunk(prompt, null));
  }, (text) => { if (stream) writeSse(res, chunk(text, null)); });
  const usage = { prompt_tokens: result.promptTokens, completion_tokens: result.completionTokens, total_tokens: result.promptTokens + result.completionTokens };
  if (stream) {
    writeSse(res, chunk('', result.finish));
    if (r.stream_options?.include_usage) writeSse(res, { id, object: 'text_completion', created, model: model.name, choices: [], usage });
    writeSse(res, '[DONE]');
    res.end();
    return;
  }
  const lp = result.logprobs;
  const logprobs = r.logprobs == null || !lp ? null
    : joinCompletionLogprobs(r.echo ? completionLogprobs(lp.prompt) : null, completionLogprobs(lp.completion, r.echo ? prompt.length : 0));
  sendJson(res, 200, { id, object: 'text_completion', created, model: model.name, choices: [{ index: 0, text: (r.echo ? prompt : '') + result.text, logprobs, finish_reason: result.finish }], usage });
}

export async function handleEmbeddings(ctx: CallContext, model: StoredModel, input: string[], base64: boolean, res: ServerResponse): Promise<void> {
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const r = await ctx.local.run(model, ctx.client, AbortSignal.any([ctx.disconnect, timeout]), (w) => w.embed(input));
  const data = r.vectors.map((v, index) => ({
    object: 'embedding', index,
    embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v,
  }));
  sendJson(res, 200, { object: 'list', data, model: model.name, usage: { prompt_tokens: r.promptTokens, total_tokens: r.promptTokens } });
}
