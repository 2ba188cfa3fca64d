// The handover from the boot stage to PID 1 and dialogosd (docs/ARCHITECTURE.md, "Initramfs"): this one
// module owns the format, writes it and parses it strictly, so the stage (writer), PID 1 (native/init.c)
// and dialogosd (reader) cannot drift apart. Pure and store-free: like gen/types.ts, every subsystem may
// import this file directly (src/architecture.test.ts SHARED_MODEL), the boot stage included.
import { HandoverFormatError } from './errors.js';
import { isGenerationId } from './id.js';

/** What the boot stage hands over: the three files say the same facts. */
export interface Handover {
  /** Absolute path of the prepared root PID 1 switches to. */
  newRoot: string;
  /** The generation id, `g<version>-<12 hex>` (the rule of parseGenerationId). */
  generation: string;
  trial: boolean;
  /** main's argv; argv[0] is an absolute program path. */
  argv: string[];
}

/** PID 1's buffers (native/init.c): what the writer refuses to exceed, and the parser to accept. */
export const HANDOVER_LIMITS = { envBytes: 1023, argvBytes: 8190, args: 64, newRootBytes: 240 } as const;

function fail(file: string, what: string): never {
  throw new HandoverFormatError(`Cannot use the handover's ${file}: ${what}`);
}
const q = (v: unknown): string => JSON.stringify(v) ?? String(v);

/**
 * The generation id field, wherever it came from (a file, PID 1's DIALOGOS_GENERATION).
 * @throws HandoverFormatError unless `id` is `g<version>-<12 lowercase hex>`
 */
export function checkGeneration(file: string, id: unknown): string {
  if (typeof id !== 'string' || !isGenerationId(id)) fail(file, `generation id ${q(id)} is not valid: expected g<version>-<12 lowercase hex>`);
  return id;
}

function checkNewRoot(file: string, root: unknown): string {
  const ok = typeof root === 'string' && root.startsWith('/') && !/[\n\0=]/.test(root) && Buffer.byteLength(root) <= HANDOVER_LIMITS.newRootBytes;
  if (!ok) fail(file, `NEWROOT ${q(root)} is not an absolute path of at most ${HANDOVER_LIMITS.newRootBytes} bytes without newline, NUL or "="`);
  return root as string;
}

function checkArgv(file: string, argv: unknown): string[] {
  if (!Array.isArray(argv) || argv.length === 0 || argv.length > HANDOVER_LIMITS.args) fail(file, `argv must hold 1 to ${HANDOVER_LIMITS.args} arguments, not ${q(argv)}`);
  for (const a of argv as unknown[]) if (typeof a !== 'string' || a.includes('\0')) fail(file, `argument ${q(a)} is not a string without NUL`);
  const list = argv as string[];
  if (!list[0]!.startsWith('/')) fail(file, `argv[0] ${q(list[0])} is not an absolute program path`);
  const bytes = list.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0);
  if (bytes > HANDOVER_LIMITS.argvBytes) fail(file, `argv takes ${bytes} bytes, PID 1 reads at most ${HANDOVER_LIMITS.argvBytes}`);
  return list;
}

function checkTrial(file: string, trial: unknown): boolean {
  if (typeof trial !== 'boolean') fail(file, `trial ${q(trial)} is not true or false`);
  return trial;
}

/**
 * Checks every field of a handover, as the writers and the JSON parser do.
 * @throws HandoverFormatError naming the field and its value
 */
export function checkHandover(h: Handover, file = 'record'): Handover {
  return { newRoot: checkNewRoot(file, h.newRoot), generation: checkGeneration(file, h.generation), trial: checkTrial(file, h.trial), argv: checkArgv(file, h.argv) };
}

/**
 * The trial flag as text (handover.env's TRIAL, PID 1's DIALOGOS_TRIAL).
 * @throws HandoverFormatError unless it is "0" or "1"
 */
export function parseTrial(file: string, text: string | undefined): boolean {
  if (text !== '0' && text !== '1') fail(file, `TRIAL ${q(text)} is not 0 or 1`);
  return text === '1';
}

/** handover.env: `NEWROOT=`, `TRIAL=0|1`, `GENERATION=` lines, for PID 1's strtok. @throws HandoverFormatError */
export function formatHandoverEnv(h: Handover): string {
  const c = checkHandover(h, 'handover.env');
  return `NEWROOT=${c.newRoot}\nTRIAL=${c.trial ? 1 : 0}\nGENERATION=${c.generation}\n`;
}

/** handover.argv: each argument ended by a NUL byte, for PID 1's NUL walk. @throws HandoverFormatError */
export function formatHandoverArgv(argv: string[]): Buffer {
  return Buffer.from(checkArgv('handover.argv', argv).map((a) => `${a}\0`).join(''), 'utf8');
}

/** handover.json: the same facts for people and dialogosd. @throws HandoverFormatError */
export function formatHandoverJson(h: Handover): string {
  const c = checkHandover(h, 'handover.json');
  return `${JSON.stringify({ newRoot: c.newRoot, generation: c.generation, trial: c.trial, argv: c.argv })}\n`;
}

/**
 * Parses handover.env: exactly the three keys, once each, one per line, the text ending in a newline.
 * @throws HandoverFormatError naming the line or value at fault
 */
export function parseHandoverEnv(text: string): Omit<Handover, 'argv'> {
  const file = 'handover.env';
  if (Buffer.byteLength(text) > HANDOVER_LIMITS.envBytes) fail(file, `it is longer than the ${HANDOVER_LIMITS.envBytes} bytes PID 1 reads`);
  if (!text.endsWith('\n')) fail(file, 'it does not end with a newline');
  const kv = new Map<string, string>();
  for (const line of text.slice(0, -1).split('\n')) {
    const m = /^(NEWROOT|TRIAL|GENERATION)=([^=\0]*)$/.exec(line);
    if (!m) fail(file, `line ${q(line)} is not NEWROOT=, TRIAL= or GENERATION= with a value without "=" or NUL`);
    const [, key, value] = m as RegExpExecArray & [string, string, string];
    if (kv.has(key)) fail(file, `${key} is given twice`);
    kv.set(key, value);
  }
  return { newRoot: checkNewRoot(file, kv.get('NEWROOT')), generation: checkGeneration(file, kv.get('GENERATION')), trial: parseTrial(file, kv.get('TRIAL')) };
}

/**
 * Parses handover.argv: UTF-8 arguments, each ended by a NUL byte.
 * @throws HandoverFormatError when it is empty, not NUL-terminated, not UTF-8 or past PID 1's limits
 */
export function parseHandoverArgv(bytes: Uint8Array): string[] {
  const file = 'handover.argv';
  if (bytes.length === 0 || bytes[bytes.length - 1] !== 0) fail(file, 'it is empty or its last argument is not ended by a NUL byte');
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail(file, 'it is not UTF-8');
  }
  return checkArgv(file, text.slice(0, -1).split('\0'));
}

/**
 * Parses handover.json: an object with exactly newRoot, generation, trial and argv.
 * @throws HandoverFormatError when it is not JSON or a field is missing, extra or invalid
 */
export function parseHandoverJson(text: string): Handover {
  const file = 'handover.json';
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    fail(file, `it is not JSON (${(err as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail(file, `${q(data)} is not an object`);
  const rec = data as Record<string, unknown>;
  const extra = Object.keys(rec).filter((k) => !['newRoot', 'generation', 'trial', 'argv'].includes(k));
  if (extra.length) fail(file, `unknown field ${q(extra[0])}`);
  const generation = checkGeneration(file, rec.generation);
  return { newRoot: checkNewRoot(file, rec.newRoot), generation, trial: checkTrial(file, rec.trial), argv: checkArgv(file, rec.argv) };
}
