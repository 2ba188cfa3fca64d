// zod schemas of the OpenAI request bodies: the types of the fields this service knows, checked strictly,
// a failure naming the field and what was wrong. Unknown fields pass here (a remote model gets the body as
// sent); for local models fields.ts then refuses every field or value they do not honour.
import { z } from 'zod';
import { InvalidRequestError } from '../errors.js';

export const MAX_TOKENS_LIMIT = 1_000_000;

const maxTokens = z.number().int('must be an integer').min(1, 'must be at least 1').max(MAX_TOKENS_LIMIT, `must be at most ${MAX_TOKENS_LIMIT}`);
const penalty = z.number().min(-2, 'must be at least -2').max(2, 'must be at most 2').nullish();
const logitBias = z.record(z.string(), z.number().min(-100, 'must be at least -100').max(100, 'must be at most 100')).nullish();
const stop = z.union([z.string(), z.array(z.string()).max(4, 'at most 4 stop sequences')]).nullish();
const common = {
  model: z.string().min(1, 'must not be empty'),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.number().int('must be an integer').min(1, 'must be at least 1').nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  stop,
  seed: z.number().int().nullish(),
  user: z.string().max(256).optional(),
  frequency_penalty: penalty,
  presence_penalty: penalty,
  logit_bias: logitBias,
};

const textPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const content = z.union([z.string(), z.array(textPart)]).nullish();
const toolCall = z.looseObject({ id: z.string(), type: z.literal('function'), function: z.looseObject({ name: z.string(), arguments: z.string() }) });

export const messageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content,
  name: z.string().optional(),
  tool_calls: z.array(toolCall).optional(),
  tool_call_id: z.string().optional(),
});

const jsonSchemaObject = z.record(z.string(), z.unknown());
export const toolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"'),
    description: z.string().optional(),
    parameters: jsonSchemaObject.optional(),
    strict: z.boolean().nullish(),
  }),
});

export const chatRequestSchema = z.looseObject({
  ...common,
  messages: z.array(messageSchema).min(1, 'must contain at least one message'),
  max_tokens: maxTokens.nullish(),
  max_completion_tokens: maxTokens.nullish(),
  response_format: z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('text') }),
    z.looseObject({ type: z.literal('json_object') }),
    z.looseObject({ type: z.literal('json_schema'), json_schema: z.looseObject({ name: z.string().optional(), schema: jsonSchemaObject, strict: z.boolean().nullish() }) }),
  ]).nullish(),
  tools: z.array(toolSchema).max(128).nullish(),
  tool_choice: z.union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) })]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int('must be an integer').min(0, 'must be at least 0').max(20, 'must be at most 20').nullish(),
});

export const completionRequestSchema = z.looseObject({
  ...common,
  prompt: z.union([z.string(), z.array(z.string()).min(1, 'must not be empty')]),
  // 0 with echo and logprobs: score the prompt without generating (how clients measure a text).
  max_tokens: z.number().int('must be an integer').min(0, 'must be at least 0').max(MAX_TOKENS_LIMIT, `must be at most ${MAX_TOKENS_LIMIT}`).nullish(),
  echo: z.boolean().nullish(),
  logprobs: z.number().int('must be an integer').min(0, 'must be at least 0').max(5, 'must be at most 5').nullish(),
  best_of: z.number().int('must be an integer').min(1, 'must be at least 1').nullish(),
  suffix: z.string().nullish(),
});

export const embeddingRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1, 'must not be empty').max(2048)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).optional(),
  user: z.string().max(256).optional(),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type CompletionRequest = z.infer<typeof completionRequestSchema>;
export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;

/** Parses `body` or throws InvalidRequestError naming the first bad field, e.g. `Invalid "messages[0].role": ...`. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const got = Array.isArray(body) ? 'an array' : body === null ? 'null' : typeof body;
    throw new InvalidRequestError(`The request body must be a JSON object, got ${got}`, { code: 'invalid_type' });
  }
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${String(k)}` : String(k)), '');
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  const code = missing ? 'missing_required_parameter' : issue.code === 'invalid_type' ? 'invalid_type' : 'invalid_value';
  throw new InvalidRequestError(missing ? `Missing required parameter: "${path}"` : `Invalid value for "${path || 'body'}": ${issue.message}`, { param: path || null, code });
}

/** The text of a message's content (parts joined). */
export const textOf = (c: z.infer<typeof content>): string => (c == null ? '' : typeof c === 'string' ? c : c.map((p) => p.text).join(''));
