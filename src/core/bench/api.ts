// bench/core's API latency: dialogosd's GET /v1/status against the bare reference, both up at once,
// after checking that they answer alike (status, headers but the date, bytes).
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAbba, type AbbaResult, type Target } from './abba.js';
import { answerDifferences, fetchAnswer } from './answer.js';
import { startBare } from './bare.js';
import { abbaLines } from './report.js';

export interface ApiBenchOptions { blocks: number; clients: number; seconds: number; warmSeconds: number; control: boolean }
export interface ApiBench { payloadBytes: number; dialogosd: AbbaResult; control?: AbbaResult }

export class AnswersDifferError extends Error {
  override name = 'AnswersDifferError';
}

const PATH = '/v1/status';

/** Starts the bare server on the bytes dialogosd answers now, and checks that both answer alike. */
async function startReference(dialogosd: Target, dir: string, name: string): Promise<{ bare: ChildProcess; target: Target }> {
  const theirs = await fetchAnswer(dialogosd.socket, PATH);
  const slug = name.replace(/\W/g, '');
  const file = join(dir, `payload-${slug}.json`);
  await writeFile(file, theirs.body);
  const target = { name, socket: join(dir, `${slug}.sock`) };
  const bare = await startBare(file, target.socket);
  const diff = answerDifferences(theirs, await fetchAnswer(target.socket, PATH));
  if (diff.length > 0) {
    bare.kill();
    throw new AnswersDifferError(`Cannot compare with the bare server: its answer differs from dialogosd's (${diff.join('; ')})`);
  }
  return { bare, target };
}

/** Measures, prints and returns the comparison; with `control`, also the bare server against a second one. */
export async function apiBench(socket: string, dir: string, o: ApiBenchOptions): Promise<ApiBench> {
  const d: Target = { name: 'dialogosd', socket };
  const { bare, target } = await startReference(d, dir, 'bare http');
  const started = [bare];
  try {
    const abba = { path: PATH, blocks: o.blocks, clients: o.clients, seconds: o.seconds, warmMs: o.warmSeconds * 1000 };
    const payloadBytes = (await fetchAnswer(target.socket, PATH)).body.length;
    console.log(`GET ${PATH}, ${o.clients} clients x ${o.seconds} s per measurement, ${o.blocks} ABBA blocks, ${payloadBytes}-byte answer`);
    console.log('  (both servers up at once, same client settings; answers alike: status, headers but the date, bytes)');
    const result: ApiBench = { payloadBytes, dialogosd: await runAbba(d, target, abba) };
    for (const l of abbaLines(result.dialogosd, d.name, target.name)) console.log(l);
    if (o.control) {
      const second = await startReference(d, dir, 'bare twin');
      started.push(second.bare);
      result.control = await runAbba(target, second.target, abba);
      console.log('control (the method against itself: the bare server against an identical twin):');
      for (const l of abbaLines(result.control, target.name, second.target.name)) console.log(l);
    }
    return result;
  } finally {
    for (const c of started) c.kill();
  }
}
