// The dialog: a conversation with the machine over typed tools. Public face of src/dialog.
export { createDialog, refuseInput, MAX_INPUT_BYTES, RETRIEVAL } from './dialog.js';
export type { Dialog, DialogInit, TurnHooks } from './dialog.js';
export { runConsole, PROMPT } from './console.js';
export type { ConsoleOptions } from './console.js';
export { grepCodeTools } from './code-grep.js';
export { mindCodeTools } from './code-mind.js';
export type { MindIndexLike } from './code-mind.js';
export { apiOsTools, runLines } from './os-api.js';
export type { ApiOsInit } from './os-api.js';
export { httpModelClient, discoveredModelClient, discoverBaseUrl } from './model-client.js';
export { TOOLS, validateCall, toolDefs } from './tools.js';
export { matchIntent, HELP } from './intents.js';
export { findCitations, checkCitations } from './cite.js';
export { runEval, loadQuestions } from './eval/run.js';
export type { EvalReport } from './eval/run.js';
export * from './errors.js';
export type * from './types.js';
