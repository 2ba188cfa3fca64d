// bench/mind: the code index over this project's source against tsc on the same tree in the same run.
//   full build        buildIndex (fresh process state, typescript load included) vs `tsc --noEmit -p tsconfig.json`
//   incremental       one-file change: a leaf module and a widely imported one, in-process and from the saved file
//   queries           p50/p99 of definitions, references, callers and search over names drawn from the index
// usage: node dist/mind/bench/run.js [--source DIR] [--runs N] [--json FILE]
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => { const i = args.indexOf(name); return i < 0 ? dflt : args[i + 1]!; };
const repo = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
const source = resolve(opt('--source', repo));
const runs = Number(opt('--runs', '3'));
const jsonOut = opt('--json', '');
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };
const ms = (x: number) => Math.round(x * 10) / 10;

/** Runs code in a fresh node process (so the typescript load counts as a user sees it); its own timing and CPU time. */
function timedChild(code: string, cwd: string): { ms: number; out: string; cpuMs: number } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; out: string; cpuMs: number };
}

/** Wall and CPU (user + sys, children included) time of a command: CPU time is what a busy shared host distorts least. */
function timedCommand(argv: string[], cwd: string): { ms: number; cpuMs: number } {
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%U %S"; time "$@" >/dev/null 2>&1', 'bench', ...argv], { cwd, encoding: 'utf8' });
  const [u, s] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { ms: performance.now() - t0, cpuMs: (u! + s!) * 1000 };
}

const mind = join(repo, 'dist', 'mind', 'index.js');
// A private copy of the tree, so the incremental runs can edit files; node_modules is linked for tsc.
const work = mkdtempSync(join(tmpdir(), 'mind-bench-'));
const tree = join(work, 'tree');
mkdirSync(tree);
for (const p of ['src', 'docs', 'bench', 'scripts', 'native', 'defaults', 'README.md', 'package.json', 'tsconfig.json']) {
  try { statSync(join(source, p)); cpSync(join(source, p), join(tree, p), { recursive: true }); } catch { /* not in this tree */ }
}
symlinkSync(join(source, 'node_modules'), join(tree, 'node_modules'));

const results: Record<string, unknown> = { source, runs, node: process.version };
try {
  const tsc = join(source, 'node_modules', '.bin', 'tsc');
  const tscMs: number[] = [], buildMs: number[] = [], tscCpu: number[] = [], buildCpu: number[] = [];
  let stats: unknown;
  const buildScript = `const t0 = performance.now(); const m = await import(${JSON.stringify(mind)}); const ix = await m.buildIndex(${JSON.stringify(tree)}); `
    + 'console.log(JSON.stringify({ ms: performance.now() - t0, out: JSON.stringify(ix.stats()) }));';
  for (let i = 0; i < runs; i++) {
    const t = timedCommand([tsc, '--noEmit', '--incremental', 'false', '-p', 'tsconfig.json'], tree);
    tscMs.push(t.ms); tscCpu.push(t.cpuMs);
    const b = timedCommand([process.execPath, '--input-type=module', '-e', buildScript], tree);
    buildMs.push(b.ms); buildCpu.push(b.cpuMs);
  }
  stats = JSON.parse(timedChild(buildScript, tree).out);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  results.full = {
    indexMs: ms(median(buildMs)), tscNoEmitMs: ms(median(tscMs)), ratio: r2(median(buildMs) / median(tscMs)),
    indexCpuMs: ms(median(buildCpu)), tscNoEmitCpuMs: ms(median(tscCpu)), cpuRatio: r2(median(buildCpu) / median(tscCpu)),
    stats, indexRunsMs: buildMs.map(ms), tscRunsMs: tscMs.map(ms),
  };

  const m = (await import(mind)) as typeof import('../index.js');
  const stateDir = join(work, 'state');
  const first = await m.openIndex({ source: tree, mindDir: stateDir });
  const size = statSync(first.file).size;
  const inc: Record<string, unknown> = { indexFileBytes: size };
  // body: a line added inside a function that declares its return type (the shape is kept: that file alone);
  // leaf, hub: a new export appended to a little-imported and to the most-imported module.
  const bodyFn = first.index.data.files['src/gen/gc.ts']!.symbols.find((s) => s.kind === 'function' && /\)\s*:\s*[^=]+$/.test(s.signature))!;
  const editBody = (i: number) => {
    const p = join(tree, bodyFn.path);
    const lines = readFileSync(p, 'utf8').split('\n');
    lines.splice(bodyFn.endLine - 1, 0, `  // bench edit ${i}`);
    writeFileSync(p, lines.join('\n'));
  };
  for (const [label, file] of [['body', bodyFn.path], ['leaf', 'src/gen/gc.ts'], ['hub', 'src/gen/types.ts']] as const) {
    const inProc: number[] = [], fromDisk: number[] = [];
    let dependents = 0;
    let ix = first.index;
    for (let i = 0; i < runs; i++) {
      if (label === 'body') editBody(i); else appendFileSync(join(tree, file), `\nexport const benchEdit${label}${i} = ${i};\n`);
      const t0 = performance.now();
      const u = await m.updateIndex(ix);
      inProc.push(performance.now() - t0);
      dependents = u.summary.dependents.length;
      ix = u.index;
      if (label === 'body') editBody(i + 100); else appendFileSync(join(tree, file), `// edit ${i}\n`);
      // What `dialogos code ...` does after an edit: a fresh process loads the saved index and updates it.
      const d = timedChild(`const t0 = performance.now(); const m = await import(${JSON.stringify(mind)}); `
        + `const r = await m.openIndex({ source: ${JSON.stringify(tree)}, mindDir: ${JSON.stringify(stateDir)} }); `
        + 'console.log(JSON.stringify({ ms: performance.now() - t0, out: String(r.summary.dependents.length) }));', tree);
      fromDisk.push(d.ms);
      ix = (await m.updateIndex(ix)).index;
    }
    inc[label] = { file, dependents, inProcessMs: ms(median(inProc)), freshProcessMs: ms(median(fromDisk)) };
  }
  const noChange = timedChild(`const t0 = performance.now(); const m = await import(${JSON.stringify(mind)}); `
    + `await m.openIndex({ source: ${JSON.stringify(tree)}, mindDir: ${JSON.stringify(stateDir)} }); console.log(JSON.stringify({ ms: performance.now() - t0, out: '' }));`, tree);
  inc.noChangeFreshProcessMs = ms(noChange.ms);
  results.incremental = inc;

  const ix = (await m.openIndex({ source: tree, mindDir: stateDir })).index;
  const all = Object.values(ix.data.files).flatMap((f) => f.symbols);
  const pick = all.filter((_, i) => i % Math.max(1, Math.floor(all.length / 300)) === 0).slice(0, 300);
  const lat = (f: (s: (typeof all)[number]) => unknown) => {
    const xs = pick.map((s) => { const t0 = performance.now(); f(s); return performance.now() - t0; });
    return { p50: Math.round(pct(xs, 50) * 1000) / 1000, p99: Math.round(pct(xs, 99) * 1000) / 1000, n: xs.length };
  };
  ix.search('warm up');
  results.queries = {
    definitions: lat((s) => ix.definitions(s.qualifiedName)),
    definitionsFuzzy: lat((s) => ix.definitions(s.name.slice(0, Math.max(3, s.name.length - 2)).toLowerCase())),
    references: lat((s) => ix.references(s.id)),
    callers: lat((s) => ix.callers(s.id)),
    testsFor: lat((s) => ix.testsFor(s.id)),
    search: lat((s) => ix.search(`${s.name} ${s.kind}`, { k: 10 })),
  };
  const cli = join(repo, 'dist', 'cli', 'main.js');
  const cliMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    execFileSync(process.execPath, [cli, 'code', 'def', 'writeGeneration', '--source', tree, '--state', work], { stdio: 'ignore' });
    cliMs.push(performance.now() - t0);
  }
  results.cliDefMs = ms(median(cliMs));
} finally {
  rmSync(work, { recursive: true, force: true });
}

const f = results.full as { indexMs: number; tscNoEmitMs: number; ratio: number; indexCpuMs: number; tscNoEmitCpuMs: number; cpuRatio: number; stats: Record<string, number> };
const inc = results.incremental as Record<string, { file: string; dependents: number; inProcessMs: number; freshProcessMs: number }> & { indexFileBytes: number; noChangeFreshProcessMs: number };
const q = results.queries as Record<string, { p50: number; p99: number; n: number }>;
const lines = [
  `source ${source} (${f.stats.files} files, ${f.stats.modules} TypeScript, ${f.stats.symbols} symbols), median of ${runs}, ${process.version}`,
  `full build, whole process (node start + typescript load + build): index ${f.indexMs} ms wall / ${f.indexCpuMs} ms CPU; `
    + `tsc --noEmit ${f.tscNoEmitMs} ms wall / ${f.tscNoEmitCpuMs} ms CPU; ratio ${f.ratio}x wall, ${f.cpuRatio}x CPU`,
  ...(['body', 'leaf', 'hub'] as const).map((k) => `one-file change (${k === 'body' ? 'inside a body' : `new export, ${k}`} ${inc[k]!.file}, ${inc[k]!.dependents} importers re-analysed): `
    + `update ${inc[k]!.inProcessMs} ms in process, ${inc[k]!.freshProcessMs} ms fresh process (load saved index + scan + update + save)`),
  `no change, fresh process (load + scan): ${inc.noChangeFreshProcessMs} ms; index file ${(inc.indexFileBytes / 1048576).toFixed(1)} MiB`,
  ...Object.entries(q).map(([k, v]) => `${k.padEnd(17)} p50 ${v.p50} ms  p99 ${v.p99} ms  (n=${v.n})`),
  `dialogos code def writeGeneration (whole CLI process, index up to date): ${results.cliDefMs} ms`,
];
process.stdout.write(lines.join('\n') + '\n');
if (jsonOut) { mkdirSync(dirname(resolve(jsonOut)), { recursive: true }); writeFileSync(jsonOut, JSON.stringify(results, null, 2) + '\n'); }
