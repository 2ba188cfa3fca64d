// The dialog's tools: one zod schema each, so a model's call is validated before anything runs, and
// one formatter each, so retrieval mode answers by quoting what the tool returned, with its sources.
import { z } from 'zod';
import { ToolArgumentsError } from './errors.js';
import { fmtCallers, fmtDefinitions, fmtDiff, fmtGeneration, fmtJournal, fmtModule, fmtRead, fmtSearch, fmtStatus, fmtTests, fmtUnit, fmtUnits } from './format.js';
import { EVOLVE_TOOLS } from './tools-evolve.js';
import type { EvolveTools } from './evolve-types.js';
import type { Citation, CodeTools, ModelInfo, OsTools, PlannedCall, ToolDef } from './types.js';

export interface ToolResult { text: string; citations: Citation[] }

export interface ToolContext {
  code: CodeTools;
  os: OsTools;
  /** The self-improvement loop's archive and commands; null where the dialog has none. */
  evolve?: EvolveTools | null;
  models: () => Promise<ModelInfo[]>;
  /** Progress of long work (a test run): a status line. */
  progress: (line: string) => void;
}

export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  schema: S;
  /**
   * State-changing tools run only after the person confirms the call plan() returns; plan() checks the
   * arguments against the machine (an unknown target, say) and throws before anything is asked.
   */
  plan?: (args: z.output<S>, c: ToolContext) => PlannedCall;
  run(args: z.output<S>, c: ToolContext): Promise<ToolResult>;
}

const name = z.string().min(1).max(200).regex(/^[\w$.\-@/]+$/, 'expected a name: letters, digits, _ $ . - @ /');
const unitName = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a unit name like "web" (lowercase letters, digits, . _ -)');
const genId = z.string().min(1).max(80).regex(/^[\w.-]+$/, 'expected a generation id like "g3-0123456789ab"');
const none = z.strictObject({});
const def = <S extends z.ZodType>(t: Tool<S>): Tool => t as unknown as Tool;

export const TOOLS: Tool[] = [
  def({ name: 'status', description: 'Machine status: phase, generation, every service', schema: none, run: async (_a, c) => fmtStatus(await c.os.status()) }),
  def({ name: 'services_list', description: 'List every unit with its state', schema: none, run: async (_a, c) => fmtUnits(await c.os.units()) }),
  def({ name: 'service_show', description: 'One unit: state, reason, last exit, spec', schema: z.strictObject({ name: unitName }), run: async (a, c) => fmtUnit(await c.os.unit(a.name)) }),
  def({
    name: 'service_action', description: 'Start, stop or restart a unit (changes state: asks the person first)',
    schema: z.strictObject({ name: unitName, action: z.enum(['start', 'stop', 'restart']) }),
    plan: (a, c) => c.os.describe({ kind: 'unit', name: a.name, action: a.action }),
    run: async (a, c) => { const s = await c.os.unitAction(a.name, a.action); return { text: `${a.action}: ${s.name} is now ${s.state} (${s.reason})`, citations: [] }; },
  }),
  def({
    name: 'journal', description: 'Journal lines, newest last; filter by unit, level (debug..crit), text',
    schema: z.strictObject({
      unit: unitName.optional(), level: z.enum(['debug', 'info', 'notice', 'warn', 'error', 'crit']).optional(), grep: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(200).default(20),
    }),
    run: async (a, c) => fmtJournal(await c.os.journal(a), a.unit),
  }),
  def({ name: 'generations_list', description: 'The generations in the store', schema: none, run: async (_a, c) => fmtGeneration('store', await c.os.generations()) }),
  def({ name: 'generation_show', description: 'One generation: record and manifest', schema: z.strictObject({ id: genId }), run: async (a, c) => fmtGeneration(a.id, await c.os.generation(a.id)) }),
  def({
    name: 'generation_switch', description: 'Make a generation the default (changes state: asks first)', schema: z.strictObject({ id: genId }),
    plan: (a, c) => c.os.describe({ kind: 'switch', id: a.id }),
    run: async (a, c) => ({ text: await c.os.switchGeneration(a.id), citations: [] }),
  }),
  def({
    name: 'generation_rollback', description: 'Make the previous good generation the default (changes state: asks first)', schema: none,
    plan: (_a, c) => c.os.describe({ kind: 'rollback' }),
    run: async (_a, c) => ({ text: await c.os.rollback(), citations: [] }),
  }),
  def({
    name: 'code_search', description: 'Search code and docs by words; hits cite path:line',
    schema: z.strictObject({ query: z.string().min(1).max(500), k: z.number().int().min(1).max(20).default(5) }),
    run: async (a, c) => fmtSearch(a.query, await c.code.search(a.query, { k: a.k })),
  }),
  def({
    name: 'code_definition', description: 'Where a symbol is defined (name or Outer.name)', schema: z.strictObject({ name }),
    run: async (a, c) => fmtDefinitions(a.name, await c.code.definitions(a.name)),
  }),
  def({ name: 'code_callers', description: 'Who calls a function or method', schema: z.strictObject({ name }), run: async (a, c) => fmtCallers(a.name, await c.code.callers(a.name)) }),
  def({
    name: 'code_module', description: 'What a module (file path) does, exports, imports, and who imports it', schema: z.strictObject({ path: name }),
    run: async (a, c) => fmtModule(a.path, await c.code.moduleInfo(a.path)),
  }),
  def({ name: 'code_tests', description: 'Which tests exercise a symbol', schema: z.strictObject({ name }), run: async (a, c) => fmtTests(a.name, await c.code.testsFor(a.name)) }),
  def({
    name: 'code_read', description: 'Read lines of a source file', schema: z.strictObject({ path: name, from: z.number().int().min(1).default(1), to: z.number().int().min(1).optional() }),
    run: async (a, c) => fmtRead(await c.code.read(a.path, a.from, a.to ?? a.from + 39)),
  }),
  def({ name: 'code_diff', description: 'What changed between two generations', schema: z.strictObject({ a: genId, b: genId }), run: async (a, c) => fmtDiff(a.a, a.b, await c.code.diff(a.a, a.b)) }),
  def({
    name: 'run_test', description: 'Run tests whose file name contains the filter (long: shows progress)',
    schema: z.strictObject({ filter: z.string().min(1).max(100).regex(/^[\w.\-/]+$/, 'expected a file-name filter') }),
    run: async (a, c) => {
      const r = await c.os.runTest(a.filter, c.progress);
      return { text: `tests matching "${a.filter}": ${r.code === 0 ? 'passed' : `failed (exit ${r.code})`}\n${r.tail.join('\n')}`, citations: [] };
    },
  }),
  def({
    name: 'model_info', description: 'The language models the llm service offers and what each can do', schema: none,
    run: async (_a, c) => {
      const ms = await c.models();
      const text = ms.length
        ? ms.map((m) => `${m.id}: chat ${m.chat ? 'yes' : 'no'}, tools ${m.tools ? 'yes' : 'no'}, embeddings ${m.embeddings ? 'yes' : 'no'}`).join('\n')
        : 'no model is available (the llm service is not running or has no model); answering in retrieval mode';
      return { text, citations: [] };
    },
  }),
  ...EVOLVE_TOOLS,
];

export const toolByName = (n: string): Tool | undefined => TOOLS.find((t) => t.name === n);

/**
 * Validates a tool call's name and arguments (a JSON string from a model, or an object).
 * @throws ToolArgumentsError with the precise problem: unknown tool, not JSON, or each schema issue with its path
 */
export function validateCall(toolName: string, args: unknown): { tool: Tool; args: unknown } {
  const tool = toolByName(toolName);
  if (!tool) throw new ToolArgumentsError(`Unknown tool "${toolName}"; the tools are: ${TOOLS.map((t) => t.name).join(', ')}`);
  let value = args;
  if (typeof args === 'string') {
    try {
      value = args.trim() === '' ? {} : JSON.parse(args);
    } catch (err) {
      throw new ToolArgumentsError(`Arguments of "${toolName}" are not valid JSON: ${(err as Error).message}`);
    }
  }
  const r = tool.schema.safeParse(value);
  if (!r.success) throw new ToolArgumentsError(`Arguments of "${toolName}" do not match its schema: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return { tool, args: r.data };
}

/** The tools in OpenAI's `tools` form, parameters as JSON Schema from the zod schemas. */
export function toolDefs(): ToolDef[] {
  return TOOLS.map((t) => {
    const { $schema: _drop, ...parameters } = z.toJSONSchema(t.schema, { io: 'input' }) as Record<string, unknown>;
    return { type: 'function', function: { name: t.name, description: t.description, parameters } };
  });
}
