// Measures the journal on the real file system (not a test): write throughput with the default
// batching, then a full query and a `--since` query over a journal filled to its 64 MiB budget.
// usage: node dist/core/journal/throughput.js [ENTRIES]   (default 400000)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal } from './journal.js';

const total = Number(process.argv[2] ?? 400_000);
const dir = await mkdtemp(join(tmpdir(), 'journal-throughput-'));
try {
  const j = await openJournal({ dir });
  const t0 = performance.now();
  let lastTenth = '';
  for (let i = 1; i <= total; i++) {
    if (i === Math.floor(total * 0.9)) lastTenth = new Date().toISOString();
    j.write({ unit: `svc${i % 8}`, level: i % 100 === 0 ? 'warn' : 'info', message: `request ${i} served in ${i % 997} ms`, fields: { path: '/api/v1/items', status: '200' } });
    // Yield now and then, as a real daemon does between I/O events.
    if (i % 1000 === 0) await new Promise((r) => setImmediate(r));
  }
  await j.sync();
  const secs = (performance.now() - t0) / 1000;
  const s = j.stats();
  console.log(`write: ${total} entries in ${secs.toFixed(2)} s = ${Math.round(total / secs)} entries/s (${(s.storedBytes / 2 ** 20).toFixed(1)} MiB kept)`);
  let t = performance.now();
  let n = 0;
  for await (const _ of j.query()) n++;
  console.log(`query all: ${n} entries in ${((performance.now() - t) / 1000).toFixed(2)} s`);
  t = performance.now();
  const recent = await j.list({ since: lastTenth, unit: 'svc3', text: 'served in 5' });
  console.log(`query --since (last tenth) --unit svc3 --text: ${recent.length} entries in ${((performance.now() - t) / 1000).toFixed(3)} s`);
  t = performance.now();
  const tail = await j.list({ order: 'desc', limit: 100 });
  console.log(`query newest 100: ${tail.length} entries in ${((performance.now() - t) / 1000).toFixed(3)} s`);
  await j.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
