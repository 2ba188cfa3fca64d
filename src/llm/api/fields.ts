// Which OpenAI request fields a local model honours. Every field is either implemented or refused with a
// 400 naming it and its value, never accepted and ignored; a field OpenAI does not know is refused as
// OpenAI does ("Unrecognized request argument supplied"). Remote models get the body as sent: the
// endpoint behind them decides.
import { InvalidRequestError } from '../errors.js';

/** A refusal reason for a value, or null when the value is served. */
type Rule = (v: unknown, body: Record<string, unknown>) => string | null;

const ok: Rule = () => null;
const absent = (v: unknown) => v === undefined || v === null;
/** The field is served only when absent (or null), or equal to one of `allowed`. */
const only = (why: string, ...allowed: unknown[]): Rule => (v) => (absent(v) || allowed.some((a) => JSON.stringify(a) === JSON.stringify(v)) ? null : why);

const streamLogprobs: Rule = (v, b) => (v === undefined || v === null || v === false || b.stream !== true
  ? null
  : 'log-probabilities are computed once the generation is done, so they cannot be streamed: send "stream": false');

const COMMON: Record<string, Rule> = {
  model: ok, temperature: ok, top_p: ok, stream: ok, stream_options: ok, stop: ok, seed: ok, user: ok,
  frequency_penalty: ok, presence_penalty: ok, logit_bias: ok, max_tokens: ok,
  n: only('only n=1 is supported by local models: send several requests', 1),
};

const CHAT: Record<string, Rule> = {
  ...COMMON, messages: ok, max_completion_tokens: ok, response_format: ok, tools: ok, tool_choice: ok,
  // The service answers with at most one tool call, which either value allows.
  parallel_tool_calls: ok,
  logprobs: streamLogprobs,
  top_logprobs: (v, b) => (absent(v) ? null : b.logprobs !== true ? '"top_logprobs" needs "logprobs": true' : null),
  functions: only('the deprecated "functions" are not supported: use "tools"'),
  function_call: only('the deprecated "function_call" is not supported: use "tool_choice"'),
  modalities: only('local models answer in text only', ['text']),
  audio: only('local models have no audio output'),
  prediction: only('predicted outputs are not supported'),
  reasoning_effort: only('local models have no reasoning effort setting'),
  verbosity: only('local models have no verbosity setting'),
  web_search_options: only('local models cannot search the web'),
  service_tier: only('local models have one service tier', 'auto', 'default'),
  store: only('completions are not stored', false),
  metadata: only('completions are not stored, so they carry no metadata'),
  prompt_cache_key: only('the service keeps no prompt cache across requests'),
  prompt_cache_retention: only('the service keeps no prompt cache across requests'),
  safety_identifier: only('the service does no abuse detection; send "user" to be queued fairly'),
};

const COMPLETION: Record<string, Rule> = {
  ...COMMON, echo: ok,
  prompt: (v) => (Array.isArray(v) && v.length !== 1 ? 'only one prompt per request is supported by local models: send several requests' : null),
  logprobs: streamLogprobs,
  best_of: only('best_of above 1 is not supported by local models', 1),
  suffix: only('local models do no fill-in-the-middle completions', ''),
};

const EMBEDDING: Record<string, Rule> = {
  model: ok, input: ok, encoding_format: ok, user: ok,
  dimensions: only('"dimensions" is not supported by local models: omit it'),
};

export type LocalRoute = 'chat' | 'completion' | 'embedding';
const RULES: Record<LocalRoute, Record<string, Rule>> = { chat: CHAT, completion: COMPLETION, embedding: EMBEDDING };

/** The fields a local model serves on a route (for documentation and tests). */
export const servedFields = (route: LocalRoute): string[] => Object.keys(RULES[route]);

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

/**
 * Throws InvalidRequestError for the first field of `body` a local model would not honour: unknown
 * (code unknown_parameter) or a value it does not serve (code unsupported_value; n stays invalid_value).
 */
export function checkLocalFields(route: LocalRoute, body: Record<string, unknown>): void {
  const rules = RULES[route];
  for (const [k, v] of Object.entries(body)) {
    const rule = Object.hasOwn(rules, k) ? rules[k] : undefined;
    if (!rule) throw new InvalidRequestError(`Unrecognized request argument supplied: ${k}`, { param: k, code: 'unknown_parameter' });
    const why = rule(v, body);
    if (why) throw new InvalidRequestError(`Unsupported value for "${k}": ${show(v)}: ${why}`, { param: k, code: k === 'n' || k === 'prompt' ? 'invalid_value' : 'unsupported_value' });
  }
}
