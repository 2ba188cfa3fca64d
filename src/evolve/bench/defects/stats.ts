// Paired comparison of two repair arms over the same defects: McNemar's test, exact (binomial on the
// discordant pairs), because the benchmark's discordant counts are small.
import { PairingError } from './errors.js';

export interface McNemar {
  /** Defects only the first arm fixed, and only the second. */
  onlyA: number;
  onlyB: number;
  /** Two-sided exact p-value (1 when no pair is discordant). */
  p: number;
}

/** P(X <= k) for X ~ Binomial(n, 1/2); terms built one from the last, so small counts come out exact. */
function lowerTail(n: number, k: number): number {
  // 2^-n underflows past n = 1074: large counts go in logs.
  const big = n > 1000;
  let term = big ? -n * Math.LN2 : 2 ** -n, sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += big ? Math.exp(term) : term;
    term = big ? term + Math.log(n - i) - Math.log(i + 1) : (term * (n - i)) / (i + 1);
  }
  return sum;
}

/**
 * Exact McNemar test of paired outcomes `a[i]`, `b[i]` (the same defect under two arms).
 * @throws PairingError when the two lists differ in length
 */
export function mcnemarExact(a: readonly boolean[], b: readonly boolean[]): McNemar {
  if (a.length !== b.length) throw new PairingError(`Cannot pair outcomes: ${a.length} against ${b.length} defects`);
  let onlyA = 0, onlyB = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && !b[i]) onlyA++;
    if (!a[i] && b[i]) onlyB++;
  }
  const n = onlyA + onlyB;
  if (n === 0) return { onlyA, onlyB, p: 1 };
  return { onlyA, onlyB, p: Math.min(1, 2 * lowerTail(n, Math.min(onlyA, onlyB))) };
}
