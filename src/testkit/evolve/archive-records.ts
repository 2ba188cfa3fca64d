// Records for the archive and loop tests (src/evolve/archive, src/evolve/loop): a valid candidate record and run record.
import { candidateId } from '../../evolve/gates.js';
import type { FileChange } from '../../evolve/candidate.js';
import { emptyCounts, type CandidateRecord, type RunRecord, type ToolVersions } from '../../evolve/archive/records.js';

export const TOOLS: ToolVersions = { node: process.version, typescript: '5.x', commit: null, treeDigest: null };

export function candidateRecord(run: string, n: number, o: Partial<CandidateRecord> = {}, pad = 0): CandidateRecord {
  const changes: FileChange[] = [{ path: 'src/x.ts', before: 'a\n', after: `b ${n}\n${'x'.repeat(pad)}` }];
  return {
    schema: 1, id: candidateId(changes), run, parent: 'tree', changes, diff: '', description: `edit ${n}`,
    provenance: { proposer: 'test', operator: 'edit' }, prior: 0, tools: TOOLS, stages: [],
    decision: 'rejected', reason: 'test', fitness: 0, logs: [], evaluatedAt: new Date(0).toISOString(), wallMs: 1, ...o,
  };
}

export function runRecord(id: string, o: Partial<RunRecord> = {}): RunRecord {
  return {
    schema: 1, id, spec: 'bench:x', target: { kind: 'benchmark', benchmark: 'x', origin: 'test' },
    budget: { evaluations: 10, minutes: null }, proposers: ['test'], base: 'tree', seed: 1, tools: TOOLS,
    startedAt: new Date(0).toISOString(), endedAt: null, elapsedMs: 0, status: 'running', reason: '',
    counts: emptyCounts(), best: null, history: [], logs: [], ...o,
  };
}
