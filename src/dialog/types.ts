// The narrow interfaces the dialog works through: code knowledge (CodeTools, a subset of src/mind's
// queries), the OS (OsTools, over dialogosd's API) and a language model (ModelClient, OpenAI-compatible).
// Each has a real and an in-memory implementation so the agent is tested without a VM or a model.
import type { CodeCatalog } from './catalog.js';

/** A place in the source a claim rests on: path relative to the source root, 1-based line. */
export interface Citation { path: string; line: number }

/** A declared symbol as the code index reports it (structurally a subset of src/mind's SymbolInfo). */
export interface CodeSymbol extends Citation {
  name: string;
  qualifiedName?: string;
  kind: string;
  endLine?: number;
  exported?: boolean;
  doc?: string;
  signature?: string;
}

/** One place that calls a symbol. */
export interface CallSite extends Citation {
  /** The calling symbol's id (`path#Name`) or the module path at top level. */
  caller: string;
}

export interface ModuleSummary {
  path: string;
  summary?: string;
  lines: number;
  exports: Array<{ name: string; path?: string; line?: number }>;
  imports: Array<{ specifier: string; to?: string; line: number }>;
  importers: Array<{ path: string; line: number }>;
}

export interface TestRef extends Citation { kind: string; via: string }

export interface SearchHit extends Citation {
  endLine: number;
  title: string;
  snippet: string;
  score: number;
}

export interface ReadLines { path: string; fromLine: number; toLine: number; totalLines: number; lines: string[] }

export interface CodeDiff {
  files: { added: string[]; removed: string[]; changed: string[] };
  symbols: { added: CodeSymbol[]; removed: CodeSymbol[]; changed: Array<{ after: CodeSymbol; what: string[] }> };
}

/** What the dialog asks of the code index (src/mind, or the grep fallback in code-grep.ts). */
export interface CodeTools {
  /** Where the name is declared; a qualified name (`Store.listDir`) narrows it. */
  definitions(name: string): Promise<CodeSymbol[]>;
  callers(name: string): Promise<CallSite[]>;
  moduleInfo(path: string): Promise<ModuleSummary | null>;
  testsFor(name: string): Promise<TestRef[]>;
  search(text: string, opts?: { k?: number }): Promise<SearchHit[]>;
  read(path: string, from: number, to: number): Promise<ReadLines>;
  /** What changed between two generations (ids); throws when the index cannot compare them. */
  diff(a: string, b: string): Promise<CodeDiff>;
  /** Paths the index knows, to resolve a module named loosely ("the journal"). */
  paths(): Promise<string[]>;
  /** Every symbol, module header and doc section with its words, for plain questions (catalog.ts). */
  catalog?(): Promise<CodeCatalog>;
  /** Embeddings of texts from a model that offers them, to re-rank plain answers; null when none does. */
  embed?(texts: string[]): Promise<number[][] | null>;
}

export interface UnitView {
  name: string;
  kind: string;
  state: string;
  reason: string;
  enabled: boolean;
  pid: number | null;
  since: string;
  restarts: number;
  lastExit: { code: number | null; signal: string | null; oom: boolean; at: string } | null;
}

export interface StatusView {
  hostname: string;
  mode: string;
  phase: string;
  reason: string;
  generation: { id: string; trial: boolean; outcome: string } | null;
  services: UnitView[];
}

export interface JournalLine { seq: number; time: string; unit: string; level: string; message: string }

export type UnitAction = 'start' | 'stop' | 'restart';

/** A state-changing operation spelled out exactly as it will run, for the confirmation prompt. */
export interface PlannedCall { what: string; call: string }

/** What the dialog asks of the running OS. */
export interface OsTools {
  status(): Promise<StatusView>;
  units(): Promise<UnitView[]>;
  unit(name: string): Promise<{ status: UnitView; spec: Record<string, unknown> | null }>;
  unitAction(name: string, action: UnitAction): Promise<UnitView>;
  journal(q: { unit?: string; level?: string; grep?: string; limit?: number }): Promise<JournalLine[]>;
  generations(): Promise<Record<string, unknown>>;
  generation(id: string): Promise<Record<string, unknown>>;
  switchGeneration(id: string): Promise<string>;
  rollback(): Promise<string>;
  /** The exact call a state-changing operation makes, shown before it runs. */
  describe(op: { kind: 'unit'; name: string; action: UnitAction } | { kind: 'switch'; id: string } | { kind: 'rollback' }): PlannedCall;
  /** Runs a test by filter; progress lines go to onLine. Resolves with the exit code and the last lines. */
  runTest(filter: string, onLine: (line: string) => void, signal?: AbortSignal): Promise<{ code: number; tail: string[] }>;
}

export interface ModelInfo { id: string; chat: boolean; embeddings: boolean; tools: boolean }

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
}

export interface ToolCall { id: string; type: 'function'; function: { name: string; arguments: string } }

export interface ToolDef { type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } }

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ToolDef[];
  max_tokens?: number;
  temperature?: number;
  /** `{type: "json_schema", json_schema: {name, schema}}`: the llm service enforces it with a grammar. */
  response_format?: { type: 'json_schema'; json_schema: { name: string; schema: Record<string, unknown> } } | { type: 'text' };
}

/** An OpenAI-compatible chat endpoint (the llm service or a remote one). */
export interface ModelClient {
  models(): Promise<ModelInfo[]>;
  /** One chat turn; content deltas go to onDelta as they stream. */
  chat(req: ChatRequest, onDelta?: (text: string) => void, signal?: AbortSignal): Promise<{ content: string; toolCalls: ToolCall[] }>;
}

/** The answer to one question or command. `mode` is the model id or "retrieval". */
export interface Answer {
  answer: string;
  citations: Citation[];
  mode: string;
  /** Set when the answer waits on a y/N confirmation of this call. */
  pending?: PlannedCall;
  /**
   * Plain questions in retrieval mode: sure when one place stands out and holds the question's words,
   * closest when the answer lists the nearest places without claiming one is right.
   */
  confidence?: 'sure' | 'closest';
}
