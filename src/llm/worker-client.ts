// The parent's handle on one model worker process: starts it, sends requests, and turns the worker's death
// (an abort inside llama.cpp, a kill) into ModelCrashedError for every request it had.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ContextLengthError, BadRequestError, CancelledError, ModelCrashedError, ModelLoadError, type LlmError } from './errors.js';
import type { FromWorker, GenerateRequest, LoadRequest, ModelInfo, ToWorker } from './worker-protocol.js';

/** The worker entry: option, else $DIALOGOS_LLM_WORKER, else the compiled worker-main.js beside this module. */
export function resolveWorkerPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? (env.DIALOGOS_LLM_WORKER || fileURLToPath(new URL('./worker-main.js', import.meta.url)));
}

export interface WorkerOptions extends Omit<LoadRequest, 'type'> { name: string; workerPath?: string }

export interface GenerateResult { text: string; promptTokens: number; completionTokens: number; finish: 'stop' | 'length' }
export interface GenerateHandlers { onStart?(promptTokens: number): void; onChunk?(text: string): void }

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  handlers?: GenerateHandlers;
  promptTokens?: number;
}

const errorFor = (code: string, message: string): LlmError =>
  code === 'context_length_exceeded' ? new ContextLengthError(message)
    : code === 'invalid_schema' ? new BadRequestError(message, { param: 'response_format', code: 'invalid_schema' })
      : code === 'cancelled' ? new CancelledError('The request was cancelled')
        : new ModelCrashedError(message);

export class ModelWorker {
  private child: ChildProcess | undefined;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private stderr = '';
  private phase: 'loading' | 'ready' | 'dead' = 'loading';
  info: ModelInfo | undefined;
  /** Set when the process ended: why, in words. */
  exitReason: string | undefined;
  onExit: ((reason: string, unexpected: boolean) => void) | undefined;
  private stopping = false;

  constructor(private readonly o: WorkerOptions) {}

  get pid(): number | undefined { return this.child?.pid; }
  get alive(): boolean { return this.phase !== 'dead'; }

  /** Starts the process and loads the model. Throws ModelCrashedError (died) or ModelLoadError (refused). */
  start(): Promise<ModelInfo> {
    const path = resolveWorkerPath(this.o.workerPath);
    if (!existsSync(path)) return Promise.reject(new ModelLoadError(`Cannot start the model worker: "${path}" does not exist (build with tsc, or set DIALOGOS_LLM_WORKER)`));
    return new Promise((resolve, reject) => {
      const child = fork(path, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [], serialization: 'json' });
      this.child = child;
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (d: string) => { this.stderr = (this.stderr + d).slice(-4000); });
      child.on('message', (m: FromWorker) => {
        if (m.type === 'ready') { this.phase = 'ready'; this.info = m.info; resolve(m.info); } else if (m.type === 'load-error') {
          this.stopping = true;
          child.kill('SIGKILL');
          reject(new ModelLoadError(`Cannot load model "${this.o.name}": ${m.message}`));
        } else this.onMessage(m);
      });
      child.on('error', (err) => { if (this.phase === 'loading') reject(new ModelLoadError(`Cannot start the worker for model "${this.o.name}": ${err.message}`, { cause: err })); });
      child.on('exit', (code, signal) => {
        const was = this.phase;
        this.phase = 'dead';
        const last = this.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
        this.exitReason = `${signal ? `killed by ${signal}` : `exited with code ${code}`}${last ? ` (${last})` : ''}`;
        const err = new ModelCrashedError(`model "${this.o.name}" crashed while ${was === 'loading' ? 'loading' : 'generating'}: ${this.exitReason}`);
        if (was === 'loading') reject(err);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        this.onExit?.(err.message, !this.stopping);
      });
      const { name: _n, workerPath: _w, ...load } = this.o;
      this.send({ type: 'load', ...load });
    });
  }

  private send(m: ToWorker): void {
    if (this.child?.connected) this.child.send(m);
  }

  private onMessage(m: FromWorker): void {
    if (!('id' in m)) return;
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'start') { p.promptTokens = m.promptTokens; p.handlers?.onStart?.(m.promptTokens); } else if (m.type === 'chunk') p.handlers?.onChunk?.(m.text);
    else {
      this.pending.delete(m.id);
      if (m.type === 'done') p.resolve({ text: m.text, promptTokens: p.promptTokens ?? 0, completionTokens: m.completionTokens, finish: m.finish });
      else if (m.type === 'embeddings') p.resolve({ vectors: m.vectors, promptTokens: m.promptTokens });
      else if (m.type === 'error') p.reject(errorFor(m.code, m.message));
    }
  }

  /** Generates; an aborted signal cancels it in the worker (CancelledError). */
  generate(req: Omit<GenerateRequest, 'type' | 'id'>, handlers: GenerateHandlers = {}, signal?: AbortSignal): Promise<GenerateResult> {
    if (this.phase !== 'ready') return Promise.reject(new ModelCrashedError(`model "${this.o.name}" is not running: ${this.exitReason ?? 'not loaded'}`));
    const id = this.nextId++;
    const p = new Promise<GenerateResult>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, handlers }));
    const cancel = () => this.send({ type: 'cancel', id });
    signal?.addEventListener('abort', cancel, { once: true });
    this.send({ type: 'generate', id, ...req });
    return p.finally(() => signal?.removeEventListener('abort', cancel));
  }

  embed(inputs: string[]): Promise<{ vectors: number[][]; promptTokens: number }> {
    if (this.phase !== 'ready') return Promise.reject(new ModelCrashedError(`model "${this.o.name}" is not running: ${this.exitReason ?? 'not loaded'}`));
    const id = this.nextId++;
    const p = new Promise<{ vectors: number[][]; promptTokens: number }>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    this.send({ type: 'embed', id, inputs });
    return p;
  }

  /** Ends the process (SIGTERM, SIGKILL after 3 s) and resolves once it is gone. */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || this.phase === 'dead' || c.exitCode !== null || c.signalCode !== null) return;
    this.stopping = true;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(t);
  }
}
