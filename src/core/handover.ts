// What the boot stage told us: the booted generation and whether this boot is a trial. Read from
// the environment PID 1 exports, `handover.json`, or `handover.env`, in that order; the files' format is
// src/gen/handover.ts's (the one the stage writes with), the environment is checked by the same rules.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkGeneration, parseHandoverEnv, parseHandoverJson, parseTrial } from '../gen/handover.js';
import { HandoverReadError } from './errors.js';

export interface Handover {
  generation: string;
  trial: boolean;
  source: 'env' | 'handover.json' | 'handover.env';
}

/** Parses `KEY=VALUE` lines (optionally single or double quoted values, `#` comments). */
export function parseEnvFile(text: string): Record<string, string> {
  // No prototype: a `__proto__=` line is a plain key, not a prototype change.
  const out = Object.create(null) as Record<string, string>;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2] ?? '';
    if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0]) v = v.slice(1, -1);
    out[m[1] as string] = v;
  }
  return out;
}

/** The generation PID 1 exported (DIALOGOS_GENERATION, DIALOGOS_TRIAL), by the handover's own rules. */
function fromEnv(env: NodeJS.ProcessEnv): Handover {
  return parse('the environment', () => ({
    generation: checkGeneration('DIALOGOS_GENERATION', env.DIALOGOS_GENERATION),
    trial: parseTrial('DIALOGOS_TRIAL', env.DIALOGOS_TRIAL),
    source: 'env' as const,
  }));
}

function parse<T>(source: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new HandoverReadError(`Cannot read the handover from ${source}: ${(err as Error).message}`, { cause: err });
  }
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new HandoverReadError(`Cannot read the handover file "${path}": ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Finds the booted generation id and trial flag.
 * @throws HandoverReadError when no source names a generation, or the one found breaks the handover format
 *   (its cause is src/gen's HandoverFormatError)
 */
export async function readHandover(runDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Handover> {
  if (env.DIALOGOS_GENERATION) return fromEnv(env);
  const jsonPath = join(runDir, 'handover.json');
  const json = await readText(jsonPath);
  if (json !== null) {
    const h = parse(`"${jsonPath}"`, () => parseHandoverJson(json));
    return { generation: h.generation, trial: h.trial, source: 'handover.json' };
  }
  const envPath = join(runDir, 'handover.env');
  const envText = await readText(envPath);
  if (envText !== null) {
    const h = parse(`"${envPath}"`, () => parseHandoverEnv(envText));
    return { generation: h.generation, trial: h.trial, source: 'handover.env' };
  }
  throw new HandoverReadError(
    `Cannot find the booted generation: no DIALOGOS_GENERATION, "${jsonPath}" or handover.env (not running under Dialogos?)`,
  );
}
