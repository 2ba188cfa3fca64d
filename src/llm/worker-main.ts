// A model worker: one child process that loads one GGUF with node-llama-cpp and serves generation and
// embedding requests from its parent over IPC. llama.cpp can abort the whole process on a malformed model;
// living here, such an abort takes down only this model, and the parent reports it as the model's fault.
// Built as its own entry point (the image bundles it as bin/llm-worker.mjs).
import { stat } from 'node:fs/promises';
import {
  getLlama, LlamaCompletion, resolveChatWrapper,
  type Llama, type LlamaContext, type LlamaEmbeddingContext, type LlamaGrammar, type LlamaModel, type Token, type ChatHistoryItem,
} from 'node-llama-cpp';
import type { ChatMessageIn, EmbedRequest, FromWorker, GenerateRequest, LoadRequest, ModelInfo, TokenLogprob, ToWorker } from './worker-protocol.js';
import { bosOf, LogitBiasError, samplingOf, scoreTokens } from './worker-logprobs.js';
import { formatPlainChat, PLAIN_STOPS } from './plain-template.js';

let llama: Llama | undefined;
let model: LlamaModel | undefined;
let context: LlamaContext | undefined;
let embedding: Promise<LlamaEmbeddingContext> | undefined;
const running = new Map<number, AbortController>();
const grammars = new Map<string, Promise<LlamaGrammar>>();

const send = (m: FromWorker): void => { process.send?.(m); };

/**
 * CPU unless a GPU is asked for. 'auto' takes a GPU only when it is real hardware: with Mesa installed
 * llama.cpp would otherwise pick lavapipe, a software Vulkan far slower than the CPU back end.
 */
async function openLlama(gpu: LoadRequest['gpu']): Promise<Llama> {
  const opts = { build: 'never', logLevel: 'error', progressLogs: false } as const;
  if (gpu !== 'auto') return getLlama({ ...opts, gpu } as never);
  const l = await getLlama({ ...opts, gpu: 'auto' } as never);
  if (l.gpu === false) return l;
  const names = await l.getGpuDeviceNames().catch(() => [] as string[]);
  if (names.length > 0 && !names.some((n) => /llvmpipe|lavapipe|softpipe|swiftshader/i.test(n))) return l;
  await l.dispose();
  return getLlama({ ...opts, gpu: false } as never);
}

async function load(req: LoadRequest): Promise<void> {
  try {
    llama = await openLlama(req.gpu);
    model = await llama.loadModel({ modelPath: req.modelPath });
    if (!req.verifyOnly) context = await model.createContext({ contextSize: Math.min(req.contextSize, model.trainContextSize), sequences: req.sequences, threads: req.threads || undefined });
    const fi = model.fileInfo;
    const params = fi.tensorInfo?.reduce((n, t) => n + t.dimensions.reduce<number>((a, d) => a * Number(d), 1), 0) ?? null;
    const meta = fi.metadata as unknown as { general?: { architecture?: string }; tokenizer?: { chat_template?: string }; [k: string]: unknown };
    const arch = meta.general?.architecture ?? 'unknown';
    const archMeta = (meta[arch] ?? {}) as { block_count?: number };
    const info: ModelInfo = {
      backend: llama.gpu === false ? 'cpu' : llama.gpu,
      architecture: arch,
      contextSize: context?.contextSize ?? model.trainContextSize,
      trainContextSize: model.trainContextSize,
      embeddingLength: model.embeddingVectorSize,
      layers: archMeta.block_count ?? 0,
      vocabSize: (meta.tokenizer as { ggml?: { tokens?: readonly unknown[] } } | undefined)?.ggml?.tokens?.length ?? 0,
      parameters: params,
      hasChatTemplate: typeof meta.tokenizer?.chat_template === 'string' && meta.tokenizer.chat_template.length > 0,
      sizeBytes: (await stat(req.modelPath)).size,
    };
    send({ type: 'ready', info });
  } catch (err) {
    const e = err as Error;
    const message = e.name === 'NoBinaryFoundError' || e.constructor?.name === 'NoBinaryFoundError'
      ? `no prebuilt llama.cpp binary for --gpu ${String(req.gpu)} is installed (it needs @node-llama-cpp/linux-x64-${String(req.gpu)} and its drivers; use --gpu cpu or auto)`
      : e.message || e.name;
    send({ type: 'load-error', message });
  }
}

/** The prompt as tokens without the BOS token (LlamaCompletion prepends it), and the stop triggers. */
function promptOf(m: LlamaModel, p: GenerateRequest['prompt']): { tokens: Token[]; stops: unknown[] } {
  if (p.kind === 'text') return { tokens: m.tokenize(p.text), stops: [] };
  const hasTemplate = typeof (m.fileInfo.metadata as { tokenizer?: { chat_template?: string } }).tokenizer?.chat_template === 'string';
  if (!hasTemplate) return { tokens: m.tokenize(formatPlainChat(p.messages)), stops: PLAIN_STOPS };
  const wrapper = resolveChatWrapper(m);
  const state = wrapper.generateContextState({ chatHistory: toHistory(p.messages) });
  let tokens = state.contextText.tokenize(m.tokenizer);
  if (m.tokens.bos != null && tokens[0] === m.tokens.bos) tokens = tokens.slice(1);
  return { tokens, stops: [...(state.stopGenerationTriggers ?? [])] };
}

function toHistory(msgs: ChatMessageIn[]): ChatHistoryItem[] {
  const h: ChatHistoryItem[] = [];
  for (const x of msgs) {
    if (x.role === 'system') h.push({ type: 'system', text: x.content });
    else if (x.role === 'assistant') h.push({ type: 'model', response: [x.content] });
    else h.push({ type: 'user', text: x.role === 'tool' ? `Tool result: ${x.content}` : x.content });
  }
  h.push({ type: 'model', response: [] });
  return h;
}

async function grammarFor(spec: NonNullable<GenerateRequest['grammar']>): Promise<LlamaGrammar> {
  const key = JSON.stringify(spec);
  let g = grammars.get(key);
  if (!g) {
    g = spec.kind === 'json' ? llama!.getGrammarFor('json') : llama!.createGrammarForJsonSchema(spec.schema as never);
    // Bounded: a client sending many distinct schemas must not grow the worker without limit.
    if (grammars.size >= 64) grammars.delete(grammars.keys().next().value!);
    grammars.set(key, g);
    g.catch(() => grammars.delete(key));
  }
  return g;
}

/** What generation needs of a request, once it is known to fit. */
interface Prepared {
  tokens: Token[];
  stops: unknown[];
  bos: Token | null;
  promptTokens: number;
  maxTokens: number;
  grammar?: LlamaGrammar;
  sampling: ReturnType<typeof samplingOf>;
}

/** Says why a request cannot run (context, grammar, logit bias), or returns what generation needs. */
async function prepare(req: GenerateRequest): Promise<Prepared | null> {
  const { tokens, stops } = promptOf(model!, req.prompt);
  const bos = bosOf(model!);
  const promptTokens = tokens.length + (bos != null ? 1 : 0);
  const ctx = context!.contextSize;
  if (promptTokens >= ctx || (req.maxTokens != null && promptTokens + req.maxTokens > ctx)) {
    const asked = req.maxTokens != null ? `${promptTokens + req.maxTokens} tokens (${promptTokens} in the prompt, ${req.maxTokens} for the completion)` : `${promptTokens} tokens in the prompt`;
    const message = `This model's maximum context length is ${ctx} tokens. However, you requested ${asked}. Please reduce the length of the messages or completion`;
    send({ type: 'error', id: req.id, code: 'context_length_exceeded', message });
    return null;
  }
  let grammar: LlamaGrammar | undefined;
  if (req.grammar) {
    try { grammar = await grammarFor(req.grammar); } catch (err) {
      send({ type: 'error', id: req.id, code: 'invalid_schema', message: `Cannot turn the JSON schema into a grammar: ${(err as Error).message}` });
      return null;
    }
  }
  const maxTokens = req.maxTokens ?? ctx - promptTokens;
  try {
    return { tokens, stops, bos, promptTokens, maxTokens, ...(grammar ? { grammar } : {}), sampling: samplingOf(model!, req, maxTokens) };
  } catch (err) {
    if (!(err instanceof LogitBiasError)) throw err;
    send({ type: 'error', id: req.id, code: 'invalid_logit_bias', message: err.message });
    return null;
  }
}

/** Sends text chunks: the first at once (time to first token), later ones coalesced for up to 5 ms. */
function chunker(id: number): { onTextChunk(text: string): void; flush(): void } {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  let sentFirst = false;
  const flush = () => { clearTimeout(timer); timer = undefined; if (pending) { send({ type: 'chunk', id, text: pending }); pending = ''; } };
  return {
    flush,
    onTextChunk(text: string) {
      if (!sentFirst) { sentFirst = true; send({ type: 'chunk', id, text }); return; }
      pending += text;
      timer ??= setTimeout(flush, 5);
    },
  };
}

async function generate(req: GenerateRequest): Promise<void> {
  const ac = new AbortController();
  running.set(req.id, ac);
  const seq = context!.getSequence();
  try {
    const p = await prepare(req);
    if (!p) return;
    send({ type: 'start', id: req.id, promptTokens: p.promptTokens, maxTokens: p.maxTokens });
    const generated: Token[] = [];
    let text = '';
    let finish: 'stop' | 'length' = 'length';
    let completionTokens = 0;
    if (p.maxTokens > 0) {
      const c = chunker(req.id);
      const r = await new LlamaCompletion({ contextSequence: seq }).generateCompletionWithMeta(p.tokens, {
        maxTokens: p.maxTokens, temperature: req.temperature, topP: req.topP, ...(req.seed != null ? { seed: req.seed } : {}),
        grammar: p.grammar, customStopTriggers: [...req.stop, ...p.stops] as never, signal: ac.signal, stopOnAbortSignal: true, disableContextShift: true,
        ...p.sampling, onTextChunk: c.onTextChunk, onToken: (t) => { generated.push(...t); },
      });
      c.flush();
      // The meter counts every sampled token, also those node-llama-cpp adds past maxTokens to finish a
      // UTF-8 character (onToken never sees a trailing partial character).
      completionTokens = seq.tokenMeter.getState().usedOutputTokens;
      if (r.metadata.stopReason === 'abort') { send({ type: 'error', id: req.id, code: 'cancelled', message: 'cancelled', completionTokens }); return; }
      text = r.response;
      finish = r.metadata.stopReason === 'maxTokens' ? 'length' : 'stop';
    }
    let logprobs: { prompt: TokenLogprob[]; completion: TokenLogprob[] } | undefined;
    if (req.logprobs) {
      const all = [...(p.bos != null ? [p.bos] : []), ...p.tokens, ...generated];
      // With echo the prompt's own tokens are scored too (not the BOS token, which is no text).
      const from = req.logprobs.echo ? (p.bos != null ? 1 : 0) : p.promptTokens;
      const scored = await scoreTokens(seq, model!, all, from, req.logprobs.top);
      if (ac.signal.aborted) { send({ type: 'error', id: req.id, code: 'cancelled', message: 'cancelled', completionTokens }); return; }
      const split = p.promptTokens - from;
      logprobs = { prompt: scored.slice(0, split), completion: scored.slice(split) };
    }
    send({ type: 'done', id: req.id, completionTokens, finish, text, ...(logprobs ? { logprobs } : {}) });
  } catch (err) {
    send({ type: 'error', id: req.id, code: 'internal', message: (err as Error).message });
  } finally {
    running.delete(req.id);
    seq.dispose();
  }
}

async function embed(req: EmbedRequest): Promise<void> {
  try {
    const limit = Math.min(context?.contextSize ?? 512, model!.trainContextSize);
    embedding ??= model!.createEmbeddingContext({ contextSize: limit });
    const ec = await embedding;
    const vectors: number[][] = [];
    let promptTokens = 0;
    for (const text of req.inputs) {
      const n = model!.tokenize(text).length;
      if (n > limit) {
        send({ type: 'error', id: req.id, code: 'context_length_exceeded', message: `This model's maximum context length is ${limit} tokens. However, an input has ${n} tokens. Please shorten it` });
        return;
      }
      promptTokens += n;
      vectors.push([...(await ec.getEmbeddingFor(text)).vector]);
    }
    send({ type: 'embeddings', id: req.id, vectors, promptTokens });
  } catch (err) {
    send({ type: 'error', id: req.id, code: 'internal', message: (err as Error).message });
  }
}

process.on('message', (m: ToWorker) => {
  if (m.type === 'load') void load(m);
  else if (m.type === 'generate') void generate(m);
  else if (m.type === 'embed') void embed(m);
  else if (m.type === 'cancel') running.get(m.id)?.abort();
});
// The parent going away (crash, kill -9) must not leave a model loaded in an orphan.
process.on('disconnect', () => process.exit(0));
