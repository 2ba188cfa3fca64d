// Asks llama.cpp about a GGUF from a child process (runtime-child.ts), so an abort inside llama.cpp
// becomes an error here instead of killing this process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RuntimeCheckError } from './errors.js';

export interface RuntimeAnswer {
  /** model.tokenize(text) for each text. */
  tokenized: number[][];
  /** model.detokenize(tokenize(text)) for each text. */
  detokenized: string[];
  /** Next-token probabilities after each prompt, as [token, probability] pairs, most likely first. */
  next: [number, number][][];
}

/**
 * Loads `model` in llama.cpp in a child process and returns its tokenization and predictions.
 * @throws RuntimeCheckError when the child fails, crashes (signal) or times out
 */
export function probeRuntime(model: string, texts: string[], prompts: number[][], timeoutMs = 120_000): Promise<RuntimeAnswer> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./runtime-child.js', import.meta.url))], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  child.stdin.end(JSON.stringify({ model, texts, prompts }));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        try { resolve(JSON.parse(out) as RuntimeAnswer); } catch (cause) { reject(new RuntimeCheckError(`Cannot parse llama.cpp's answer about "${model}"`, { cause })); }
        return;
      }
      const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
      reject(new RuntimeCheckError(`Cannot load "${model}" in llama.cpp: the runtime ${how}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}
