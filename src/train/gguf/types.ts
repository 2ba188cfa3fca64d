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

// [bytes per block, values per block] of the ggml tensor types whose size the header checks know
// (ggml's type_traits): F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q8_1, Q2_K..Q8_K, I8..F64, BF16.
const GGML_BLOCK: Record<number, [number, number]> = {
  0: [4, 1], 1: [2, 1], 2: [18, 32], 3: [20, 32], 6: [22, 32], 7: [24, 32], 8: [34, 32], 9: [36, 32],
  10: [84, 256], 11: [110, 256], 12: [144, 256], 13: [176, 256], 14: [210, 256], 15: [292, 256],
  24: [1, 1], 25: [2, 1], 26: [4, 1], 27: [8, 1], 28: [8, 1], 30: [2, 1],
};

/** Bytes of a tensor of `n` elements of any ggml type id; null for a type this table does not know. */
export function ggmlTensorBytes(type: number, n: number): number | null {
  const b = GGML_BLOCK[type];
  return b ? Math.ceil(n / b[1]) * b[0] : null;
}
