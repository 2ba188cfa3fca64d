// OsTools over dialogosd's API (the unix socket client of src/core) and, for what the API does not
// offer (switching generations, running tests), the `dialogos` command itself.
import { spawn } from 'node:child_process';
import { apiCall, type ClientOptions } from '../core/api/index.js';
import { OsToolError } from './errors.js';
import type { JournalLine, OsTools, StatusView, UnitView } from './types.js';

export interface ApiOsInit {
  client: ClientOptions;
  /** The `dialogos` command as argv, for `gen switch|rollback` (e.g. [node, /dialogos/bin/dialogos.mjs]). */
  cli: string[];
  /** Extra arguments for `gen` verbs (e.g. ["--store", DIR]). */
  genArgs?: string[];
  /** The test runner as argv, the filter appended (e.g. ["./dialogos", "test", "--unit"]); null: none here. */
  test: { argv: string[]; cwd: string } | null;
}

/** Runs argv, lines of stdout and stderr to onLine; resolves with the exit code and the last 15 lines. */
export function runLines(argv: string[], cwd: string | undefined, onLine: (l: string) => void, signal?: AbortSignal): Promise<{ code: number; tail: string[] }> {
  return new Promise((resolve) => {
    const tail: string[] = [];
    const child = spawn(argv[0]!, argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    let buf = '';
    const take = (d: Buffer): void => {
      buf += d.toString('utf8');
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        tail.push(line);
        if (tail.length > 15) tail.shift();
        onLine(line);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (err) => resolve({ code: 127, tail: [...tail, `cannot run "${argv[0]}": ${err.message}`] }));
    child.on('close', (code) => resolve({ code: code ?? 1, tail: buf ? [...tail, buf] : tail }));
  });
}

/** OsTools for the instance `client` talks to. */
export function apiOsTools(o: ApiOsInit): OsTools {
  const get = <T>(path: string): Promise<T> => apiCall<T>(o.client, 'GET', path);
  const gen = async (args: string[]): Promise<string> => {
    const r = await runLines([...o.cli, 'gen', ...args, ...(o.genArgs ?? [])], undefined, () => {});
    if (r.code !== 0) throw new OsToolError(`Cannot run "dialogos gen ${args.join(' ')}": exit ${r.code}: ${r.tail.join(' ').trim()}`);
    return r.tail.join('\n').trim();
  };
  return {
    async status() {
      const s = await get<{ machine: { hostname: string; mode: string }; phase: string; reason: string; generation: StatusView['generation']; services: UnitView[] }>('/v1/status');
      return { hostname: s.machine.hostname, mode: s.machine.mode, phase: s.phase, reason: s.reason, generation: s.generation, services: s.services };
    },
    units: async () => (await get<{ units: UnitView[] }>('/v1/units')).units,
    unit: (name) => get(`/v1/units/${encodeURIComponent(name)}`),
    async unitAction(name, action) {
      return (await apiCall<{ status: UnitView }>(o.client, 'POST', `/v1/units/${encodeURIComponent(name)}/${action}`, { wait: true, timeoutMs: 30_000 })).status;
    },
    async journal(q) {
      const p = new URLSearchParams({ order: 'desc', limit: String(q.limit ?? 20) });
      if (q.unit) p.set('unit', q.unit);
      if (q.level) p.set('level', q.level);
      if (q.grep) p.set('grep', q.grep);
      return (await get<{ entries: JournalLine[] }>(`/v1/journal?${p}`)).entries.reverse();
    },
    generations: async () => (await get<{ state: Record<string, unknown> }>('/v1/generations')).state,
    generation: (id) => get(`/v1/generations/${encodeURIComponent(id)}`),
    switchGeneration: (id) => gen(['switch', id]),
    rollback: () => gen(['rollback']),
    describe(op) {
      if (op.kind === 'unit') return { what: `${op.action} unit "${op.name}"`, call: `POST /v1/units/${op.name}/${op.action} {"wait":true,"timeoutMs":30000}  (dialogos svc ${op.action} ${op.name})` };
      if (op.kind === 'switch') return { what: `make generation "${op.id}" the default for the next boots`, call: `dialogos gen switch ${op.id}${o.genArgs?.length ? ` ${o.genArgs.join(' ')}` : ''}` };
      return { what: 'make the previous good generation the default', call: `dialogos gen rollback${o.genArgs?.length ? ` ${o.genArgs.join(' ')}` : ''}` };
    },
    async runTest(filter, onLine, signal) {
      if (!o.test) {
        throw new OsToolError(`Cannot run tests matching "${filter}": this machine has no test runner (no scripts/run-tests.mjs beside the source); `
          + `run them on a build host with ./dialogos test ${filter}`);
      }
      return runLines([...o.test.argv, filter], o.test.cwd, onLine, signal);
    },
  };
}
