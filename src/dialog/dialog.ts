// A dialog session: input checks, the y/N gate in front of every state change, numbered choices after
// a clarifying question, and the choice between a chat model and retrieval mode for each question.
import { ModelError } from './errors.js';
import { modelTurn, SYSTEM_PROMPT } from './model-agent.js';
import { explain, retrieve, runIntent, type Outcome } from './retrieval.js';
import { validateCall, type ToolContext } from './tools.js';
import type { Intent } from './intents.js';
import type { EvolveTools } from './evolve-types.js';
import type { Answer, ChatMessage, CodeTools, ModelClient, ModelInfo, OsTools, PlannedCall } from './types.js';

/** Input longer than this is refused: no question needs it, and it would flood a model's context. */
export const MAX_INPUT_BYTES = 64 * 1024;
export const RETRIEVAL = 'retrieval';

export interface DialogInit {
  code: CodeTools;
  os: OsTools;
  /** The self-improvement loop (start, watch, explain, stop, promote); absent: its tools say it is not here. */
  evolve?: EvolveTools;
  /** The llm service or a remote endpoint; null: retrieval mode only. */
  model: ModelClient | null;
  /** Use this model id (must chat); default: the first chat model, preferring tool-capable ones. */
  modelId?: string;
}

export interface TurnHooks {
  /** Streamed answer text (model mode). */
  onDelta?: (text: string) => void;
  /** A status line for long work. */
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
}

export interface Dialog {
  /** Answers one line of input (a question, a command, or y/N / a number after a prompt). */
  handle(input: string | Uint8Array, hooks?: TurnHooks): Promise<Answer>;
  /** The mode the next question will be answered in, and why. */
  mode(): Promise<{ mode: string; why: string }>;
}

/** Why input is refused, or null when it is fine. */
export function refuseInput(input: string | Uint8Array): string | null {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    if (input.byteLength > MAX_INPUT_BYTES) return tooLong(input.byteLength);
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      return 'That input is binary (not UTF-8 text); I only read text. Nothing was done.';
    }
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_INPUT_BYTES) return tooLong(bytes);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/.test(text)) return 'That input contains binary or control characters; I only read text. Nothing was done.';
  if (!text.trim()) return 'Ask me something, or type help to see what I understand.';
  return null;
}

const tooLong = (n: number): string => `That input is ${n} bytes; the limit is ${MAX_INPUT_BYTES} bytes (64 KiB). Ask about a smaller piece, e.g. a file path and line. Nothing was done.`;

/** Creates a session. Nothing on the machine changes unless a y/yes answers a shown call. */
export function createDialog(init: DialogInit): Dialog {
  let pending: { plan: PlannedCall; tool: string; args: unknown; mode: string } | null = null;
  let choices: Intent[] | null = null;
  const history: ChatMessage[] = [{ role: 'system', content: SYSTEM_PROMPT }];
  let modelNote = '';

  async function pickModel(): Promise<ModelInfo | null> {
    if (!init.model) { modelNote = 'no model endpoint is in use (--retrieval, or none configured)'; return null; }
    let ms: ModelInfo[];
    try {
      ms = await init.model.models();
    } catch (err) {
      modelNote = err instanceof ModelError ? err.message.replace(/\.$/, '').replace(/^[A-Z]/, (c) => c.toLowerCase()) : `the model endpoint does not answer (${(err as Error).message})`;
      return null;
    }
    const chat = ms.filter((m) => m.chat && (!init.modelId || m.id === init.modelId));
    const pick = chat.find((m) => m.tools) ?? chat[0] ?? null;
    if (!pick) {
      modelNote = init.modelId
        ? `model "${init.modelId}" is not offered or cannot chat`
        : `no model can chat (${ms.map((m) => m.id).join(', ') || 'none loaded'}; dialogos-mini is a code model, not a conversational one)`;
    }
    return pick;
  }

  const ctxOf = (hooks: TurnHooks): ToolContext => ({
    code: init.code, os: init.os, evolve: init.evolve ?? null, progress: hooks.onProgress ?? (() => {}),
    models: async () => (init.model ? init.model.models() : []),
  });

  function fromOutcome(o: Outcome): Answer {
    if (o.kind === 'confirm') {
      pending = { plan: o.plan, tool: o.tool, args: o.args, mode: RETRIEVAL };
      return confirmAnswer(o.plan, RETRIEVAL);
    }
    if (o.kind === 'choose') choices = o.choices;
    return { answer: o.result.text, citations: o.result.citations, mode: RETRIEVAL, ...(o.kind === 'answer' && o.confidence ? { confidence: o.confidence } : {}) };
  }

  async function confirmed(yes: boolean, hooks: TurnHooks): Promise<Answer> {
    const p = pending!;
    pending = null;
    if (!yes) return { answer: `Cancelled: ${p.plan.what} was not done; nothing changed.`, citations: [], mode: p.mode };
    const { tool, args } = validateCall(p.tool, p.args);
    try {
      const r = await tool.run(args, ctxOf(hooks));
      return { answer: `Done: ${p.plan.call}\n${r.text}`, citations: r.citations, mode: p.mode };
    } catch (err) {
      return { answer: `Failed: ${p.plan.call}\n${explain(err)}`, citations: [], mode: p.mode };
    }
  }

  return {
    async mode() {
      const m = await pickModel();
      return m ? { mode: m.id, why: `chat model ${m.id}` } : { mode: RETRIEVAL, why: modelNote };
    },
    async handle(raw, hooks = {}) {
      const refused = refuseInput(raw);
      const text = typeof raw === 'string' ? raw.trim() : Buffer.from(raw).toString('utf8').trim();
      if (pending) {
        if (refused) return { answer: `${refused}\n${pending.plan.what} is still waiting: answer y to run it, anything else cancels.`, citations: [], mode: pending.mode };
        return confirmed(/^(y|yes)$/i.test(text), hooks);
      }
      if (refused) return { answer: refused, citations: [], mode: RETRIEVAL };
      if (choices) {
        const list = choices;
        choices = null;
        const n = /^\d+$/.test(text) ? Number(text) : NaN;
        if (n >= 1 && n <= list.length) return fromOutcome(await runIntent(list[n - 1]!, text, ctxOf(hooks)));
      }
      const model = await pickModel();
      if (model) {
        try {
          const t = await modelTurn(text, {
            model: model.id, client: init.model!, ctx: ctxOf(hooks), history,
            ...(hooks.onDelta ? { onDelta: hooks.onDelta } : {}), ...(hooks.signal ? { signal: hooks.signal } : {}),
          });
          if (t.pending) {
            pending = { ...t.pending, mode: model.id };
            return confirmAnswer(t.pending.plan, model.id, t.text);
          }
          return { answer: t.text, citations: t.citations, mode: model.id };
        } catch (err) {
          if (!(err instanceof ModelError)) throw err;
          modelNote = `the model failed: ${err.message}`;
        }
      }
      const a = fromOutcome(await retrieve(text, ctxOf(hooks)));
      return model ? { ...a, answer: `(${modelNote}; answering in retrieval mode)\n${a.answer}` } : a;
    },
  };
}

function confirmAnswer(plan: PlannedCall, mode: string, lead = ''): Answer {
  return { answer: `${lead ? `${lead}\n` : ''}This changes the machine: ${plan.what}\n  ${plan.call}\nRun it? [y/N]`, citations: [], mode, pending: plan };
}
