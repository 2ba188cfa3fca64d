// What dialogosd leaves behind for its successor: the pid and kernel start time of every service it
// runs, and a digest of the spec it was started from. A restarted dialogosd adopts a process whose start
// time still matches and whose spec did not change, and cleans up everything else.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../std/index.js';
import { RunStateError } from './errors.js';

export interface RunRecord { pid: number; startTime: string; specDigest: string }
export interface RunState { schema: 1; units: Record<string, RunRecord> }

export interface RunStateStore {
  load(): Promise<RunState>;
  save(s: RunState): Promise<void>;
}

export const emptyRunState = (): RunState => ({ schema: 1, units: {} });

/** A JSON file replaced atomically (e.g. /run/dialogos/services.json: pids mean nothing after a reboot). */
export function fileRunState(path: string): RunStateStore {
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyRunState();
        throw new RunStateError(`Cannot read the run state "${path}": ${(err as Error).message}`, { cause: err });
      }
      try {
        const s = JSON.parse(text) as RunState;
        if (s.schema !== 1 || typeof s.units !== 'object' || s.units === null) throw new Error('unknown schema');
        return s;
      } catch (err) {
        // A torn or foreign file must not stop the services from starting: start afresh (and say so).
        throw new RunStateError(`Cannot parse the run state "${path}": ${(err as Error).message}`, { cause: err });
      }
    },
    save: (s) => writeFileAtomic(path, `${JSON.stringify(s)}\n`),
  };
}

export class MemoryRunState implements RunStateStore {
  state = emptyRunState();
  async load(): Promise<RunState> { return structuredClone(this.state); }
  async save(s: RunState): Promise<void> { this.state = structuredClone(s); }
}

/** JSON with sorted keys, so equal specs give equal digests whatever order their fields came in. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
