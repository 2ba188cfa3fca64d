// Training progress: a redrawn bar on a terminal, plain lines (at most one per interval) otherwise.
import type { StepReport } from './trainer.js';

function clock(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  const m = Math.floor(s / 60), h = Math.floor(m / 60);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m % 60)}:${pad(Math.floor(s % 60))}` : `${pad(m)}:${pad(Math.floor(s % 60))}`;
}

/** One progress line: step, loss, tokens/s and ETA. */
export function progressText(r: StepReport): string {
  return `step ${r.step}/${r.steps} loss ${r.loss.toFixed(4)} ${Math.round(r.tokensPerSecond)} tok/s eta ${clock(r.etaSeconds)}${r.checkpointed ? ' [checkpoint]' : ''}`;
}

/**
 * A progress reporter writing to `write`: on a TTY a bar redrawn in place, else a line every
 * `intervalMs` (0: every step) and at each checkpoint.
 */
export function progressReporter(write: (s: string) => void, tty: boolean, intervalMs = 5000): { step(r: StepReport): void; done(): void } {
  let last = -Infinity;
  let drawn = false;
  return {
    step(r) {
      if (tty) {
        const width = 24, filled = Math.round((width * r.step) / Math.max(1, r.steps));
        write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progressText(r)}\x1b[K`);
        drawn = true;
        return;
      }
      const now = performance.now();
      if (intervalMs === 0 || r.checkpointed || now - last >= intervalMs || r.step === r.steps) {
        write(`${progressText(r)}\n`);
        last = now;
      }
    },
    done() { if (drawn) write('\n'); },
  };
}
