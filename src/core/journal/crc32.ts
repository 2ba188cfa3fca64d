// CRC-32 (IEEE 802.3, the zlib/PNG polynomial) with a 256-entry table. node:zlib's crc32 arrived in
// Node 22; we run on 20. A CRC rather than a hash because the journal guards against torn and
// flipped bytes, not adversaries: it catches every burst up to 32 bits, runs in plain JS at several
// hundred MB/s, and needs no native call per short record (crypto's per-call cost would dominate).

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of `bytes[start, end)`, as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
