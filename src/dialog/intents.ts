// Retrieval mode's understanding: a fixed list of command and question patterns, matched in order.
// Deterministic on purpose: with no chat model the dialog answers only what it can look up.

export type Intent =
  | { kind: 'tool'; tool: string; args: Record<string, unknown> }
  | { kind: 'module'; name: string }
  | { kind: 'why'; unit: string }
  | { kind: 'help' }
  | { kind: 'unknown' };

const ID = '`?([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)`?(?:\\(\\))?';
const PATH = '`?([\\w./@-]+?)`?';
const UNIT = '`?([a-z0-9][a-z0-9._-]*)`?';
const GEN = '`?([\\w.-]+)`?';
const ART = '(?:the\\s+)?';

type Rule = [RegExp, (m: RegExpExecArray) => Intent];
const tool = (name: string, args: Record<string, unknown> = {}): Intent => ({ kind: 'tool', tool: name, args });

const RULES: Rule[] = [
  [/^(?:help|\?|h|what can (?:you|i) (?:do|ask)|commands)$/i, () => ({ kind: 'help' })],
  [/^(?:status|st|how are you|what(?:'s| is) (?:the )?(?:status|state)(?: of (?:the )?(?:machine|system))?|how is (?:the )?(?:machine|system)(?: doing)?)$/i, () => tool('status')],
  [new RegExp(`^(?:list\\s+)?${ART}(?:services|units|svc ls)$|^(?:list|show)\\s+${ART}(?:services|units)$|^what(?:'s| is) running$`, 'i'), () => tool('services_list')],
  [new RegExp(`^(?:start|stop|restart)\\s+${ART}(?:unit\\s+|service\\s+)?${UNIT}(?:\\s+(?:unit|service))?$`, 'i'), (m) => tool('service_action', { action: m.input.trim().split(/\s+/)[0]!.toLowerCase(), name: m[1] })],
  [new RegExp(`^(?:switch|boot)\\s+(?:to\\s+)?(?:generation\\s+)?${GEN}$`, 'i'), (m) => tool('generation_switch', { id: m[1] })],
  [/^(?:roll\s*back|rollback)(?: to the previous (?:good )?generation)?$/i, () => tool('generation_rollback')],
  [new RegExp(`^why (?:did|does|is|has) ${ART}(?:unit\\s+|service\\s+)?${UNIT}(?:\\s+(?:unit|service))? (?:fail(?:ed|ing)?|crash(?:ed|ing)?|down|dead|stopped|not running|keep failing)$`, 'i'), (m) => ({ kind: 'why', unit: m[1]! })],
  [new RegExp(`^(?:show\\s+|tail\\s+|read\\s+)?${ART}(?:logs?|journal)\\s+(?:of|for|from)\\s+${ART}(?:unit\\s+|service\\s+)?${UNIT}$|^logs\\s+${UNIT}$`, 'i'), (m) => tool('journal', { unit: m[1] ?? m[2], limit: 30 })],
  [/^(?:show\s+)?(?:the\s+)?(?:logs?|journal)$/i, () => tool('journal', { limit: 30 })],
  [new RegExp(`^(?:show|describe)\\s+${ART}(?:unit|service)\\s+${UNIT}$|^(?:how|what) is ${ART}(?:unit|service)\\s+${UNIT}(?: doing)?$`, 'i'), (m) => tool('service_show', { name: m[1] ?? m[2] })],
  [/^(?:list\s+|show\s+)?(?:the\s+)?generations$|^gen ls$/i, () => tool('generations_list')],
  [new RegExp(`^(?:show|describe)\\s+generation\\s+${GEN}$`, 'i'), (m) => tool('generation_show', { id: m[1] })],
  [new RegExp(`^(?:what|which files?|which symbols?) changed between (?:generations?\\s+)?${GEN} and ${GEN}$|^diff\\s+${GEN}\\s+${GEN}$`, 'i'), (m) => tool('code_diff', { a: m[1] ?? m[3], b: m[2] ?? m[4] })],
  [new RegExp(`^(?:where|in which file) is ${ART}(?:function\\s+|class\\s+|method\\s+|type\\s+|interface\\s+|symbol\\s+|constant\\s+)?${ID} (?:defined|declared|implemented|written)$|^(?:go to )?(?:the )?definition of ${ID}$|^(?:where is|find|def|define) ${ID}$`, 'i'), (m) => tool('code_definition', { name: m[1] ?? m[2] ?? m[3] })],
  [new RegExp(`^(?:who|what) calls ${ID}$|^(?:show\\s+)?(?:the\\s+)?callers of ${ID}$|^where is ${ID} (?:called|used)(?: from)?$`, 'i'), (m) => tool('code_callers', { name: m[1] ?? m[2] ?? m[3] })],
  [new RegExp(`^(?:which|what) tests (?:cover|exercise|test|check) ${ID}$|^(?:show\\s+)?(?:the\\s+)?tests (?:for|of) ${ID}$|^(?:is|how is) ${ID} tested$`, 'i'), (m) => tool('code_tests', { name: m[1] ?? m[2] ?? m[3] })],
  [new RegExp(`^what does ${ART}(?:module\\s+|file\\s+|folder\\s+|subsystem\\s+)?${PATH}(?:\\s+(?:module|file|folder|subsystem))? do$|^(?:describe|explain|summari[sz]e) ${ART}(?:module\\s+|file\\s+|subsystem\\s+)?${PATH}$|^what (?:does|do) ${PATH} depend on$`, 'i'), (m) => ({ kind: 'module', name: m[1] ?? m[2] ?? m[3]! })],
  [/^(?:show|read|cat|open)\s+`?([\w./@-]+\.\w+)`?(?::(\d+)(?:-(\d+))?)?$/i, (m) => tool('code_read', { path: m[1], from: Number(m[2] ?? 1), ...(m[3] ? { to: Number(m[3]) } : {}) })],
  [/^(?:run\s+(?:the\s+)?tests?(?:\s+for)?|test)\s+`?([\w.\-/]+)`?$/i, (m) => tool('run_test', { filter: m[1] })],
  [/^(?:which|what) models?(?: (?:is|are) (?:there|loaded|available))?$|^models?(?: info)?$/i, () => tool('model_info')],
  [/^(?:search|find|grep|look for)\s+(?:for\s+)?(.+)$/i, (m) => tool('code_search', { query: m[1]!.replace(/^["'`]|["'`]$/g, ''), k: 5 })],
];

/** Matches one line of input against the patterns; surrounding punctuation and case do not matter. */
export function matchIntent(input: string): Intent {
  const text = input.trim().replace(/\s+/g, ' ').replace(/^(?:please|dialogos,?|hey,?)\s+/i, '').replace(/[?.!]+$/, '').replace(/\s+please$/i, '');
  for (const [re, make] of RULES) {
    const m = re.exec(text);
    if (m) return make(m);
  }
  return { kind: 'unknown' };
}

export const HELP = `Ask about the code, the machine, or tell it what to do. In retrieval mode (no chat model)
these forms are understood; with a chat model anything goes, and it uses the same tools.

  Code (answers cite path:line)
    where is writeGeneration defined?      who calls openJournal?
    what does src/core/journal do?         which tests cover parseGenerationId?
    show src/gen/store.ts:40-60            search signing key
    what changed between g1-... and g2-...
  The machine (answers quote the API and the journal with seq and time)
    status                                 list services
    show service web                       why did web fail?
    logs of web                            generations
    which model                            run tests gen    (long: shows progress)
  Changes (each shows the exact call and asks y/N first)
    start web | stop web | restart web     switch to g3-...   rollback
  The console
    !CMD   run a shell command             :sh   an interactive shell (exit returns here)
    help   this text                       exit  leave (Ctrl-D too)`;
