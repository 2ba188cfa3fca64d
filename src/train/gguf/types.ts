// GGUF v3 value and tensor types (ggml's numbering), shared by the writer and the reader.

/** GGUF metadata value type ids. */
export const GT = {
  u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, str: 8, arr: 9, u64: 10, i64: 11, f64: 12,
} as const;

/** ggml tensor type ids this code writes and reads. */
export const TT = { F32: 0, F16: 1, Q8_0: 8 } as const;
export type TensorType = (typeof TT)[keyof typeof TT];

/** A typed metadata value. Arrays hold one element type. */
export type GgufValue =
  | { type: 'u32' | 'i32' | 'f32' | 'u64'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'str'; value: string }
  | { type: 'arr'; of: 'str'; value: string[] }
  | { type: 'arr'; of: 'i32' | 'u32' | 'f32'; value: number[] };

/** A tensor to write: dims in ggml order (dims[0] is the contiguous one), data as F32 before conversion. */
export interface TensorIn {
  name: string;
  dims: number[];
  type: TensorType;
  data: Float32Array;
}

/** Alignment of the tensor data section and of each tensor in it. */
export const ALIGNMENT = 32;

/** Bytes of a tensor of `n` elements stored as `type`. */
export function tensorBytes(type: TensorType, n: number): number {
  if (type === TT.F32) return 4 * n;
  if (type === TT.F16) return 2 * n;
  return (n / 32) * 34;
}
