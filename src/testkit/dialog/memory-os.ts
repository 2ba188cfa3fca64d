// An in-memory OsTools: units, a journal and generations held in maps, for tests of the dialog
// without dialogosd. Records every state change so a test can prove none happened unconfirmed.
import { OsToolError } from '../../dialog/errors.js';
import type { JournalLine, OsTools, UnitView } from '../../dialog/types.js';

export interface MemoryOs extends OsTools {
  /** Every state change made, in order ("stop web", "switch g2"). */
  changes: string[];
}

const unit = (name: string, state: string, reason: string): UnitView => ({
  name, kind: 'service', state, reason, enabled: true, pid: state === 'running' ? 100 : null, since: '2026-01-01T00:00:00.000Z', restarts: 0,
  lastExit: state === 'failed' ? { code: 3, signal: null, oom: false, at: '2026-01-01T00:00:01.000Z' } : null,
});

/** A machine with units `web` (running) and `db` (failed, with journal lines). */
export function memoryOs(): MemoryOs {
  const units = new Map<string, UnitView>([['web', unit('web', 'running', 'started')], ['db', unit('db', 'failed', 'exited with code 3')]]);
  const journal: JournalLine[] = [
    { seq: 1, time: '2026-01-01T00:00:00.000Z', unit: 'web', level: 'info', message: 'listening on :80' },
    { seq: 2, time: '2026-01-01T00:00:00.500Z', unit: 'db', level: 'info', message: 'starting' },
    { seq: 3, time: '2026-01-01T00:00:01.000Z', unit: 'db', level: 'error', message: 'cannot open /var/db: no such file' },
  ];
  let defaultGen = 'g1-aaaaaaaaaaaa';
  const changes: string[] = [];
  const need = (name: string): UnitView => {
    const u = units.get(name);
    if (!u) throw Object.assign(new OsToolError(`no unit "${name}"`), { status: 404 });
    return u;
  };
  return {
    changes,
    status: async () => ({
      hostname: 'mem', mode: 'host', phase: 'running', reason: 'all units started',
      generation: { id: defaultGen, trial: false, outcome: 'good' }, services: [...units.values()],
    }),
    units: async () => [...units.values()],
    unit: async (name) => ({ status: need(name), spec: { kind: 'service', name } }),
    async unitAction(name, action) {
      const u = need(name);
      changes.push(`${action} ${name}`);
      u.state = action === 'stop' ? 'stopped' : 'running';
      return u;
    },
    journal: async (q) => journal.filter((e) => (!q.unit || e.unit === q.unit) && (!q.level || ['warn', 'error', 'crit'].includes(e.level))).slice(-(q.limit ?? 20)),
    generations: async () => ({ default: defaultGen, generations: { 'g1-aaaaaaaaaaaa': {}, 'g2-bbbbbbbbbbbb': {} } }),
    generation: async (id) => ({ id, entry: {} }),
    async switchGeneration(id) { changes.push(`switch ${id}`); defaultGen = id; return `default is now ${id}`; },
    async rollback() { changes.push('rollback'); defaultGen = 'g1-aaaaaaaaaaaa'; return 'rolled back'; },
    describe: (op) => op.kind === 'unit' ? { what: `${op.action} unit "${op.name}"`, call: `POST /v1/units/${op.name}/${op.action}` }
      : op.kind === 'switch' ? { what: `switch to ${op.id}`, call: `dialogos gen switch ${op.id}` }
      : { what: 'rollback', call: 'dialogos gen rollback' },
    async runTest(filter, onLine) { onLine(`running ${filter}`); return { code: 0, tail: ['1 passed, 0 failed'] }; },
  };
}
