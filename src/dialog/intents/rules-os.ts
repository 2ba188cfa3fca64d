// Retrieval rules about the machine: help, status, services, the journal, generations, models, and the
// commands that change state (each of those is confirmed by the dialog before it runs).
import { BROKEN, THE, UNIT_AFTER, UNIT_WORD, gen, phrase, unit } from './pieces.js';
import { need, tool, type IntentRule } from './rule.js';

const help: IntentRule = {
  name: 'help',
  says: 'asks what the dialog understands',
  examples: ['help', 'h', 'what can you do', 'what can i ask?', 'commands'],
  counterExamples: ['?', 'help me'],
  patterns: [phrase`help|\?|h|what can (?:you|i) (?:do|ask)|commands`],
  make: () => ({ kind: 'help' }),
};

const status: IntentRule = {
  name: 'status',
  says: "asks for the machine's status",
  examples: ['status', 'st', 'how are you', "what's the status of the machine", 'how is the system doing'],
  counterExamples: ['tell me status', 'please please status'],
  patterns: [
    phrase`status|st|how are you`,
    phrase`what(?:'s| is) (?:the )?(?:status|state)(?: of (?:the )?(?:machine|system))?`,
    phrase`how is (?:the )?(?:machine|system)(?: doing)?`,
  ],
  make: () => tool('status'),
  help: { topic: 'machine', text: 'status' },
};

const servicesList: IntentRule = {
  name: 'services.list',
  says: 'asks which services (units) there are',
  examples: ['list services', 'services', 'svc ls', 'show the units', "what's running"],
  counterExamples: ['list service web'],
  patterns: [
    phrase`(?:list\s+)?${THE}(?:services|units|svc ls)`,
    phrase`(?:list|show)\s+${THE}(?:services|units)`,
    phrase`what(?:'s| is) running`,
  ],
  make: () => tool('services_list'),
  help: { topic: 'machine', text: 'list services' },
};

const serviceAction: IntentRule = {
  name: 'service.action',
  says: 'starts, stops or restarts one unit',
  examples: ['start web', 'stop web', 'restart web', 'Restart the web service', 'stop unit db', 'restart `web`'],
  counterExamples: ['start', 'starting web', 'tell me start web'],
  patterns: [phrase`(?<action>start|stop|restart)\s+${THE}${UNIT_WORD}${unit('name')}${UNIT_AFTER}`],
  make: (c) => tool('service_action', { action: need(c, 'action').toLowerCase(), name: c.name }),
  help: { topic: 'change', text: 'start web | stop web | restart web' },
};

const generationSwitch: IntentRule = {
  name: 'generation.switch',
  says: 'switches to (boots) another generation',
  examples: ['switch to g3-...', 'switch to generation g3-0123456789ab', 'boot g3', 'boot to generation `g4`'],
  counterExamples: ['switch', 'switch to g3 and g4'],
  patterns: [phrase`(?:switch|boot)\s+(?:to\s+)?(?:generation\s+)?${gen('id')}`],
  make: (c) => tool('generation_switch', { id: c.id }),
  help: { topic: 'change', text: 'switch to g3-...' },
};

const generationRollback: IntentRule = {
  name: 'generation.rollback',
  says: 'rolls back to the previous good generation',
  examples: ['rollback', 'roll back', 'rollback to the previous generation',
    'roll back to the previous good generation'],
  counterExamples: ['roll back to g3'],
  patterns: [phrase`(?:roll\s*back|rollback)(?: to the previous (?:good )?generation)?`],
  make: () => tool('generation_rollback'),
  help: { topic: 'change', text: 'rollback' },
};

const why: IntentRule = {
  name: 'why',
  says: 'asks why a unit failed (its state and the journal lines before it)',
  examples: ['why did web fail?', 'why is the db service down', 'why does web keep failing',
    'why has the unit db crashed'],
  counterExamples: ['why', 'why did the service web stop'],
  patterns: [phrase`why (?:did|does|is|has) ${THE}${UNIT_WORD}${unit('unit')}${UNIT_AFTER} ${BROKEN}`],
  make: (c) => ({ kind: 'why', unit: need(c, 'unit') }),
  help: { topic: 'machine', text: 'why did web fail?' },
};

const journalOfUnit: IntentRule = {
  name: 'journal.unit',
  says: "asks for one unit's journal lines",
  examples: ['logs of web', 'show logs of web', 'tail the journal of web', 'logs web', 'SHOW LOGS OF WEB'],
  counterExamples: ['read logs for the web service'],
  patterns: [
    phrase`(?:show\s+|tail\s+|read\s+)?${THE}(?:logs?|journal)\s+(?:of|for|from)\s+${THE}${UNIT_WORD}${unit('unit')}`,
    phrase`logs\s+${unit('unit')}`,
  ],
  make: (c) => tool('journal', { unit: c.unit, limit: 30 }),
  help: { topic: 'machine', text: 'logs of web' },
};

const journal: IntentRule = {
  name: 'journal',
  says: "asks for the machine's latest journal lines",
  examples: ['logs', 'log', 'journal', 'show the logs'],
  counterExamples: ['tail the logs'],
  patterns: [phrase`(?:show\s+)?(?:the\s+)?(?:logs?|journal)`],
  make: () => tool('journal', { limit: 30 }),
};

const serviceShow: IntentRule = {
  name: 'service.show',
  says: "asks for one unit's spec and state",
  examples: ['show service web', 'describe service db', 'what is the unit db', 'how is service evalweb doing?'],
  counterExamples: ['show web'],
  patterns: [
    phrase`(?:show|describe)\s+${THE}(?:unit|service)\s+${unit('name')}`,
    phrase`(?:how|what) is ${THE}(?:unit|service)\s+${unit('name')}(?: doing)?`,
  ],
  make: (c) => tool('service_show', { name: c.name }),
  help: { topic: 'machine', text: 'show service web' },
};

const generationsList: IntentRule = {
  name: 'generations.list',
  says: 'asks which generations the store holds',
  examples: ['generations', 'list generations', 'show the generations', 'gen ls'],
  patterns: [phrase`(?:list\s+|show\s+)?(?:the\s+)?generations`, phrase`gen ls`],
  make: () => tool('generations_list'),
  help: { topic: 'machine', text: 'generations' },
};

const generationShow: IntentRule = {
  name: 'generation.show',
  says: "asks for one generation's manifest",
  examples: ['show generation g1-abc', 'describe generation `g2-x`'],
  counterExamples: ['show generation'],
  patterns: [phrase`(?:show|describe)\s+generation\s+${gen('id')}`],
  make: (c) => tool('generation_show', { id: c.id }),
};

const modelInfo: IntentRule = {
  name: 'model.info',
  says: 'asks which models the llm service has',
  examples: ['which model', 'which models are loaded', 'what models are available', 'models', 'model info'],
  counterExamples: ['which model is best'],
  patterns: [
    phrase`(?:which|what) models?(?: (?:is|are) (?:there|loaded|available))?`,
    phrase`models?(?: info)?`,
  ],
  make: () => tool('model_info'),
  help: { topic: 'machine', text: 'which model' },
};

/** In matching order. */
export const OS_RULES: IntentRule[] = [
  help, status, servicesList, serviceAction, generationSwitch, generationRollback,
  why, journalOfUnit, journal, serviceShow, generationsList, generationShow, modelInfo,
];
