// The byte-level tokenizer: token i < 256 is byte i, token 256 is <|endoftext|>. In GGUF it is a "gpt2" BPE
// vocabulary with no merges, each byte spelled with GPT-2's byte-to-unicode table, so llama.cpp splits any
// text into exactly the same ids (tested through node-llama-cpp in gguf-runtime.test.ts).

/** Id of the end-of-text control token (also BOS/EOS in the GGUF). */
export const EOT = 256;
/** Vocabulary size: 256 bytes and one control token. */
export const VOCAB = 257;

/** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 onwards. */
function byteAlphabet(): string[] {
  const keep: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) keep.push(b);
  for (let b = 0xa1; b <= 0xac; b++) keep.push(b);
  for (let b = 0xae; b <= 0xff; b++) keep.push(b);
  const out = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    out[b] = keep.includes(b) ? String.fromCodePoint(b) : String.fromCodePoint(256 + extra++);
  }
  return out;
}

const ALPHABET = byteAlphabet();

/** Encodes text as UTF-8 byte ids. */
export function encode(text: string): number[] {
  return Array.from(Buffer.from(text, 'utf8'));
}

/** Decodes ids back to text; the control token decodes to nothing. Invalid UTF-8 becomes U+FFFD. */
export function decode(ids: ArrayLike<number>): string {
  const bytes: number[] = [];
  for (let i = 0; i < ids.length; i++) if (ids[i]! < 256) bytes.push(ids[i]!);
  return Buffer.from(bytes).toString('utf8');
}

/** GGUF tokenizer metadata: tokens, token types (1 normal, 3 control), no merges. */
export function ggufVocabulary(): { tokens: string[]; types: number[]; merges: string[]; eot: number } {
  const tokens = [...ALPHABET, '<|endoftext|>'];
  const types = tokens.map((_, i) => (i === EOT ? 3 : 1));
  return { tokens, types, merges: [], eot: EOT };
}
