// Dense kernels on Float32Array rows. Loops keep the innermost index contiguous in both operands, which is
// what V8 turns into tight code; sums run in a fixed order, so results are bit-identical run to run.

/** y[n, o] = Σ_i x[n, i] · w[o, i]  (x: N×I, w: O×I, y: N×O). */
export function linear(y: Float32Array, x: Float32Array, w: Float32Array, n: number, inDim: number, outDim: number): void {
  for (let r = 0; r < n; r++) {
    const xo = r * inDim;
    const yo = r * outDim;
    for (let o = 0; o < outDim; o++) {
      const wo = o * inDim;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let i = 0;
      for (; i + 3 < inDim; i += 4) {
        s0 += x[xo + i]! * w[wo + i]!;
        s1 += x[xo + i + 1]! * w[wo + i + 1]!;
        s2 += x[xo + i + 2]! * w[wo + i + 2]!;
        s3 += x[xo + i + 3]! * w[wo + i + 3]!;
      }
      for (; i < inDim; i++) s0 += x[xo + i]! * w[wo + i]!;
      y[yo + o] = s0 + s1 + s2 + s3;
    }
  }
}

let scratch = new Float32Array(0);

/** out (cols×rows) = transpose of m (rows×cols), into a shared scratch region starting at `at`. */
function transposeInto(m: Float32Array, rows: number, cols: number, at: number): Float32Array {
  const out = scratch.subarray(at, at + rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = m[o + c]!;
  }
  return out;
}

function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[ao + i]! * b[bo + i]!;
    s1 += a[ao + i + 1]! * b[bo + i + 1]!;
    s2 += a[ao + i + 2]! * b[bo + i + 2]!;
    s3 += a[ao + i + 3]! * b[bo + i + 3]!;
  }
  for (; i < n; i++) s0 += a[ao + i]! * b[bo + i]!;
  return s0 + s1 + s2 + s3;
}

/**
 * Backward of linear: dx += dy·w, dw += dyᵀ·x. `dx` may be null when the input needs no gradient.
 * Both products run as contiguous dot products over transposed copies (axpy loops that store into a
 * Float32Array on every step were 3x slower than the forward pass).
 */
export function linearBack(
  dx: Float32Array | null, dw: Float32Array, dy: Float32Array, x: Float32Array, w: Float32Array,
  n: number, inDim: number, outDim: number,
): void {
  const need = n * outDim + n * inDim + inDim * outDim;
  if (scratch.length < need) scratch = new Float32Array(need);
  const dyT = transposeInto(dy, n, outDim, 0);
  const xT = transposeInto(x, n, inDim, n * outDim);
  for (let o = 0; o < outDim; o++) {
    const wo = o * inDim;
    for (let i = 0; i < inDim; i++) dw[wo + i] = dw[wo + i]! + dot(dyT, o * n, xT, i * n, n);
  }
  if (!dx) return;
  const wT = transposeInto(w, outDim, inDim, n * outDim + n * inDim);
  for (let r = 0; r < n; r++) {
    const xo = r * inDim;
    for (let i = 0; i < inDim; i++) dx[xo + i] = dx[xo + i]! + dot(dy, r * outDim, wT, i * outDim, outDim);
  }
}

/** y = x / rms(x) · w per row; stores 1/rms per row in `inv` for the backward pass. */
export function rmsnorm(y: Float32Array, inv: Float32Array, x: Float32Array, w: Float32Array, n: number, d: number, eps: number): void {
  for (let r = 0; r < n; r++) {
    const o = r * d;
    let ss = 0;
    for (let i = 0; i < d; i++) ss += x[o + i]! * x[o + i]!;
    const k = 1 / Math.sqrt(ss / d + eps);
    inv[r] = k;
    for (let i = 0; i < d; i++) y[o + i] = x[o + i]! * k * w[i]!;
  }
}

/** Backward of rmsnorm: dx += …, dw += …. */
export function rmsnormBack(
  dx: Float32Array, dw: Float32Array, dy: Float32Array, x: Float32Array, w: Float32Array, inv: Float32Array, n: number, d: number,
): void {
  for (let r = 0; r < n; r++) {
    const o = r * d;
    const k = inv[r]!;
    let dot = 0;
    for (let i = 0; i < d; i++) {
      dot += dy[o + i]! * w[i]! * x[o + i]!;
      dw[i] = dw[i]! + dy[o + i]! * x[o + i]! * k;
    }
    const c = (dot * k * k * k) / d;
    for (let i = 0; i < d; i++) dx[o + i] = dx[o + i]! + dy[o + i]! * w[i]! * k - x[o + i]! * c;
  }
}

/** Cos/sin tables for llama.cpp's normal RoPE: pair (2i, 2i+1) of each head turns by pos·base^(-2i/headDim). */
export function ropeTables(context: number, headDim: number, base: number): { cos: Float32Array; sin: Float32Array } {
  const half = headDim / 2;
  const cos = new Float32Array(context * half);
  const sin = new Float32Array(context * half);
  for (let p = 0; p < context; p++) {
    for (let i = 0; i < half; i++) {
      const theta = p * Math.pow(base, (-2 * i) / headDim);
      cos[p * half + i] = Math.cos(theta);
      sin[p * half + i] = Math.sin(theta);
    }
  }
  return { cos, sin };
}

/**
 * Rotates rows of x (T×dim, heads of headDim) in place; `sign` -1 applies the inverse rotation (the backward
 * pass). Row t has position `pos0 + t`.
 */
export function rope(
  x: Float32Array, t: number, dim: number, headDim: number, cos: Float32Array, sin: Float32Array, sign: 1 | -1, pos0 = 0,
): void {
  const half = headDim / 2;
  for (let r = 0; r < t; r++) {
    const pt = (pos0 + r) * half;
    for (let h = 0; h < dim; h += headDim) {
      const o = r * dim + h;
      for (let i = 0; i < half; i++) {
        const c = cos[pt + i]!;
        const s = sign * sin[pt + i]!;
        const a = x[o + 2 * i]!;
        const b = x[o + 2 * i + 1]!;
        x[o + 2 * i] = a * c - b * s;
        x[o + 2 * i + 1] = a * s + b * c;
      }
    }
  }
}

/** SiLU(x) = x·σ(x). */
export function silu(x: number): number {
  return x / (1 + Math.exp(-x));
}
