// Test helper process for kill.test.ts: writes entries in a tight loop and reports, on stdout, each
// new durable seq (`durable <seq>`) once the journal has fsynced up to it. The parent kills it with
// SIGKILL at a moment of its choosing. usage: node kill-child.js DIR ROUND
import { openJournal } from '../../../core/journal/journal.js';
import { messageOf } from './mem-journal.js';

const [dir, round] = process.argv.slice(2);
if (!dir || !round) {
  process.stderr.write('usage: kill-child.js DIR ROUND\n');
  process.exit(2);
}
const j = await openJournal({ dir, syncIntervalMs: 20, segmentBytes: 256 * 1024, maxBytes: 64 * 1024 * 1024 });
process.stdout.write(`ready ${j.stats().lastSeq}\n`);
let k = 0;
let reported = 0;
for (;;) {
  for (let n = 0; n < 200; n++) {
    k++;
    j.write({ unit: 'loop', message: messageOf(k), fields: { k: String(k), round } });
  }
  await new Promise((r) => setImmediate(r));
  const d = j.stats().durableSeq;
  if (d > reported) {
    reported = d;
    // A write to a pipe is synchronous on Linux: the parent never reads a durable seq ahead of the fsync.
    process.stdout.write(`durable ${d}\n`);
  }
}
