// Conversation with a chat model that uses the dialog's tools. Every call is validated against its
// schema (a bad one goes back to the model with the precise error, a bounded number of times); a
// state-changing call stops the turn and waits for the person's y/N; the final text is citation-checked.
import { checkCitations } from './cite.js';
import { ModelError, ToolArgumentsError } from './errors.js';
import { explain } from './retrieval.js';
import { toolDefs, validateCall, type Tool, type ToolContext } from './tools.js';
import type { ChatMessage, Citation, ModelClient, PlannedCall } from './types.js';

export const SYSTEM_PROMPT = `You are Dialogos, the operating system itself, talking with a person at its console.
Use the tools to look things up; never guess about the code or the machine. Every statement about code
must cite its source as path:line (for example src/gen/store.ts:42), taken from tool results. Changes to
the machine (service_action, generation_switch, generation_rollback, evolve_start, evolve_stop,
evolve_promote) are confirmed by the person, so call the tool when asked to change something; the
self-improvement loop is watched with evolve_status and explained with evolve_why. Answer briefly.`;

export interface ModelTurn {
  text: string;
  citations: Citation[];
  /** Set when the model asked for a state change: the tool, its validated arguments and the exact call. */
  pending?: { plan: PlannedCall; tool: string; args: unknown };
}

export interface ModelAgentOptions {
  model: string;
  client: ModelClient;
  ctx: ToolContext;
  /** The conversation so far (system prompt included); the turn appends to it. */
  history: ChatMessage[];
  onDelta?: (text: string) => void;
  signal?: AbortSignal;
  /** Tool rounds per question (default 6). */
  maxSteps?: number;
  /** Invalid tool calls tolerated per question before giving up (default 3). */
  maxInvalid?: number;
}

/**
 * One question to the model, with tools, until it answers in text.
 * @throws ModelError when the endpoint fails, or the model keeps making invalid calls or never answers
 */
export async function modelTurn(question: string, o: ModelAgentOptions): Promise<ModelTurn> {
  const msgs = o.history;
  msgs.push({ role: 'user', content: question });
  const tools = toolDefs();
  let invalid = 0;
  for (let step = 0; step < (o.maxSteps ?? 6); step++) {
    const r = await o.client.chat({ model: o.model, messages: msgs, tools, temperature: 0.2 }, o.onDelta, o.signal);
    msgs.push({ role: 'assistant', content: r.content || null, ...(r.toolCalls.length ? { tool_calls: r.toolCalls } : {}) });
    if (!r.toolCalls.length) {
      const checked = await checkCitations(r.content, o.ctx.code);
      return { text: checked.text, citations: checked.citations };
    }
    for (const call of r.toolCalls) {
      let reply: string;
      try {
        const { tool, args } = validateCall(call.function.name, call.function.arguments);
        if (tool.plan) {
          // A plan that refuses its arguments (an unknown target) goes back to the model; nothing is asked.
          const plan = planOf(tool, args, o.ctx);
          if (typeof plan !== 'string') {
            msgs.push({ role: 'tool', tool_call_id: call.id, content: 'Waiting for the person to confirm (y/N).' });
            return { text: r.content, citations: [], pending: { plan, tool: tool.name, args } };
          }
          msgs.push({ role: 'tool', tool_call_id: call.id, content: `error: ${plan}` });
          continue;
        }
        o.ctx.progress(`${tool.name} ...`);
        reply = await tool.run(args, o.ctx).then((x) => x.text, (err) => `error: ${explain(err)}`);
      } catch (err) {
        if (!(err instanceof ToolArgumentsError)) throw err;
        if (++invalid > (o.maxInvalid ?? 3)) throw new ModelError(`The model made ${invalid} invalid tool calls; the last: ${err.message}`);
        reply = `error: ${err.message}. Call the tool again with arguments that match its schema.`;
      }
      msgs.push({ role: 'tool', tool_call_id: call.id, content: reply.slice(0, 12_000) });
    }
  }
  throw new ModelError(`The model did not answer within ${o.maxSteps ?? 6} tool rounds`);
}

/** The call a state-changing tool would make, or the words of why its arguments were refused. */
function planOf(tool: Tool, args: unknown, ctx: ToolContext): PlannedCall | string {
  try {
    return tool.plan!(args, ctx);
  } catch (err) {
    return explain(err);
  }
}
