// Closed-loop HTTP load over a unix socket: `clients` concurrent keep-alive connections, each sending
// the next request as soon as the previous answer is read, for `ms`. Returns sorted latencies (ms).
import { Agent, request } from 'node:http';

export interface LoadResult { latencies: number[]; errors: number; seconds: number }

export async function load(socketPath: string, path: string, clients: number, ms: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + ms;
  const one = (): Promise<void> => new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = request({ socketPath, path, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        else errors++;
        resolve();
      });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end();
  });
  const t0 = Date.now();
  await Promise.all(Array.from({ length: clients }, async () => { while (Date.now() < end) await one(); }));
  agent.destroy();
  return { latencies: latencies.sort((a, b) => a - b), errors, seconds: (Date.now() - t0) / 1000 };
}

export const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
