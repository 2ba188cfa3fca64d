// Benchmark workload: the code index's retrieval tokens (src/mind's tokenize, run over every file the index
// builds and every query its BM25 search answers). Usage: node dist/evolve/speed/workloads/mind-tokenize.js <repetitions>
// Prints only a digest of the tokens; the stage measures the CPU time of the whole process from outside.
import { createHash } from 'node:crypto';
import { tokenize } from '../../../mind/index.js';
import { repetitionsArg } from './args.js';

const WORDS = ['parse', 'boot', 'count', 'name', 'manifest', 'signature', 'generation', 'store', 'index', 'query', 'token',
  'journal', 'entry', 'service', 'health', 'bless', 'fall', 'back', 'key', 'trust', 'file', 'path', 'HTTP', 'JSON', 'id'];

/** Source-like text: camelCase, PascalCase, snake_case identifiers and plain words, deterministic. */
function sourceText(lines: number): string {
  let s = 7;
  const pick = () => WORDS[(s = (s * 1103515245 + 12345) % 2147483648) % WORDS.length]!;
  const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    out.push(`export function ${pick()}${cap(pick())}${cap(pick())}(${pick()}_${pick()}: ${cap(pick())}${cap(pick())}) { // the ${pick()}s of ${pick()} ${i}`);
  }
  return out.join('\n');
}

const reps = repetitionsArg(process.argv);
const text = sourceText(2000);
const digest = createHash('sha256');
for (let r = 0; r < reps; r++) {
  const tokens = tokenize(text);
  if (r === 0) digest.update(tokens.join(' '));
}
process.stdout.write(`digest ${digest.digest('hex')}\n`);
