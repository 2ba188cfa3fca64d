// Tool calls by grammar: the model must emit one JSON call that matches a declared function's parameters,
// so a small local model cannot answer with a malformed call. tool_choice "auto" behaves like "required"
// when tools are given (a small model cannot reliably decide); send "none" for a text answer. Parameters
// of a tool without "strict": true lose what the grammar cannot enforce (patterns, numeric bounds): its
// arguments have the schema's shape, and the client checks the rest, as with OpenAI's non-strict tools.
import { randomBytes } from 'node:crypto';
import { InvalidRequestError } from '../errors.js';
import { checkSchema, relaxSchema } from './schema-check.js';
import type { GrammarSpec } from '../worker-protocol.js';
import type { ChatRequest } from './schemas.js';

type Tool = NonNullable<ChatRequest['tools']>[number];

export interface ToolPlan { grammar: GrammarSpec; instructions: string; forced: string | null }

const declared = (t: Tool): Record<string, unknown> => t.function.parameters ?? { type: 'object', properties: {} };
/** What the grammar enforces of a tool's parameters (see the file comment). */
const paramsOf = (t: Tool): Record<string, unknown> => (t.function.strict === true ? declared(t) : relaxSchema(declared(t)).schema as Record<string, unknown>);

/** null = answer with text (no tools, or tool_choice "none"). Throws InvalidRequestError for an unknown forced name. */
export function planTools(req: ChatRequest): ToolPlan | null {
  const tools = req.tools ?? [];
  if (tools.length === 0 || req.tool_choice === 'none') {
    if (req.tool_choice && req.tool_choice !== 'none' && tools.length === 0) throw new InvalidRequestError('"tool_choice" is set but "tools" is empty', { param: 'tool_choice' });
    return null;
  }
  tools.forEach((t, i) => checkSchema(paramsOf(t), `tools[${i}].function.parameters`));
  // The model reads the parameters as declared, bounds included.
  const listing = tools.map((t) => `- ${t.function.name}: ${t.function.description ?? ''} parameters: ${JSON.stringify(declared(t))}`).join('\n');
  if (typeof req.tool_choice === 'object' && req.tool_choice) {
    const name = req.tool_choice.function.name;
    const t = tools.find((x) => x.function.name === name);
    if (!t) throw new InvalidRequestError(`"tool_choice" names the function "${name}", which is not in "tools" (${tools.map((x) => `"${x.function.name}"`).join(', ')})`, { param: 'tool_choice' });
    return { grammar: { kind: 'json-schema', schema: paramsOf(t) }, forced: name, instructions: `Call the function ${name}. Answer with its arguments as one JSON object.\nFunctions:\n${listing}` };
  }
  const schema = tools.length === 1
    ? callSchema(tools[0]!)
    : { oneOf: tools.map(callSchema) };
  const instructions = `Call one of these functions. Answer with one JSON object {"name": ..., "arguments": {...}}.\nFunctions:\n${listing}`;
  return { grammar: { kind: 'json-schema', schema }, forced: null, instructions };
}

const callSchema = (t: Tool) => ({ type: 'object', properties: { name: { const: t.function.name }, arguments: paramsOf(t) }, required: ['name', 'arguments'] });

export interface ToolCallOut { id: string; type: 'function'; function: { name: string; arguments: string } }

/** The tool call in generated text, or null when it is not complete JSON (cut by max_tokens). */
export function parseToolCall(plan: ToolPlan, text: string): ToolCallOut | null {
  let v: unknown;
  try { v = JSON.parse(text); } catch { return null; }
  const id = `call_${randomBytes(12).toString('hex')}`;
  if (plan.forced) return { id, type: 'function', function: { name: plan.forced, arguments: JSON.stringify(v) } };
  const o = v as { name?: unknown; arguments?: unknown };
  if (typeof o?.name !== 'string') return null;
  return { id, type: 'function', function: { name: o.name, arguments: JSON.stringify(o.arguments ?? {}) } };
}
