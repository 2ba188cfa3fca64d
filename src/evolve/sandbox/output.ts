// Bounded capture of a run's stdout and stderr: a run that prints without end costs the runner at most
// `limit` bytes per stream, and the cut is marked so that nobody mistakes it for the whole output.
import type { Readable } from 'node:stream';

export interface Capture {
  text(): string;
}

export function capture(stream: Readable, limit: number): Capture {
  const chunks: Buffer[] = [];
  let kept = 0;
  let dropped = 0;
  stream.on('data', (d: Buffer) => {
    const room = limit - kept;
    if (room > 0) {
      chunks.push(room >= d.length ? d : d.subarray(0, room));
      kept += Math.min(room, d.length);
    }
    dropped += Math.max(0, d.length - Math.max(room, 0));
  });
  return {
    text: () => Buffer.concat(chunks).toString('utf8') + (dropped ? `\n[sandbox: output truncated after ${limit} bytes, ${dropped} more dropped]\n` : ''),
  };
}
