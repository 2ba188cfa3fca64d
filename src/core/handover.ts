// What the boot stage told us: the booted generation and whether this boot is a trial. Read from
// the environment PID 1 exports, `handover.json`, or `handover.env`, in that order.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HandoverError } from './errors.js';

export interface Handover {
  generation: string;
  trial: boolean;
  source: 'env' | 'handover.json' | 'handover.env';
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function parseBool(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes)$/i.test(v.trim());
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

function checked(generation: unknown, trial: boolean, source: Handover['source']): Handover {
  if (typeof generation !== 'string' || !ID.test(generation)) {
    throw new HandoverError(`Cannot read the handover from ${source}: generation id ${JSON.stringify(generation)} is not valid`);
  }
  return { generation, trial, source };
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new HandoverError(`Cannot read "${path}"`, { cause: err });
  }
}

/**
 * Finds the booted generation id and trial flag.
 * @throws HandoverError when no source names a generation, or the one found is malformed.
 */
export async function readHandover(runDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Handover> {
  if (env.DIALOGOS_GENERATION) return checked(env.DIALOGOS_GENERATION, parseBool(env.DIALOGOS_TRIAL), 'env');
  const jsonPath = join(runDir, 'handover.json');
  const json = await readText(jsonPath);
  if (json !== null) {
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch (err) {
      throw new HandoverError(`Cannot read the handover: "${jsonPath}" is not JSON`, { cause: err });
    }
    const rec = (data ?? {}) as Record<string, unknown>;
    return checked(rec.generation, rec.trial === true, 'handover.json');
  }
  const envText = await readText(join(runDir, 'handover.env'));
  if (envText !== null) {
    const kv = parseEnvFile(envText);
    return checked(kv.DIALOGOS_GENERATION ?? kv.GENERATION, parseBool(kv.DIALOGOS_TRIAL ?? kv.TRIAL), 'handover.env');
  }
  throw new HandoverError(
    `Cannot find the booted generation: no DIALOGOS_GENERATION, "${jsonPath}" or handover.env (not running under Dialogos?)`,
  );
}
