// efivarfs string variables as systemd-boot writes them: 4 attribute bytes (little-endian u32), then
// a UTF-16LE string, normally NUL-terminated. The bytes come from firmware: parse defensively.
import { EfiVarError } from './errors.js';

/** systemd-boot's vendor GUID for Loader* variables. */
export const LOADER_GUID = '4a67b082-0a4c-41cf-b6c7-440b29bb8c4f';
export const EFIVARS_DIR = '/sys/firmware/efi/efivars';

/** Non-volatile, boot-service and runtime access: what systemd-boot uses. */
const DEFAULT_ATTRS = 0x7;

/**
 * Decodes an efivarfs string variable; the value stops at the first NUL.
 * @throws EfiVarError when the bytes are shorter than the attribute header, have an odd-length
 *   payload, or are not valid UTF-16LE.
 */
export function parseEfiString(bytes: Uint8Array): string {
  if (bytes.length < 4) throw new EfiVarError(`Cannot parse EFI variable: ${bytes.length} bytes is shorter than the 4-byte attribute header`);
  const payload = bytes.subarray(4);
  if (payload.length % 2 !== 0) throw new EfiVarError(`Cannot parse EFI variable: UTF-16 payload has odd length ${payload.length}`);
  let end = payload.length;
  for (let i = 0; i < payload.length; i += 2) {
    if (payload[i] === 0 && payload[i + 1] === 0) {
      end = i;
      break;
    }
  }
  try {
    return new TextDecoder('utf-16le', { fatal: true }).decode(payload.subarray(0, end));
  } catch (err) {
    throw new EfiVarError('Cannot parse EFI variable: payload is not valid UTF-16LE', { cause: err });
  }
}

/** Encodes `value` as efivarfs bytes (attributes, UTF-16LE, NUL): the inverse of parseEfiString. */
export function encodeEfiString(value: string, attrs = DEFAULT_ATTRS): Uint8Array {
  const out = new Uint8Array(4 + value.length * 2 + 2);
  new DataView(out.buffer).setUint32(0, attrs >>> 0, true);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    out[4 + i * 2] = c & 0xff;
    out[5 + i * 2] = c >> 8;
  }
  return out;
}

/** The efivarfs file name of a Loader* variable. */
export function loaderVarPath(name: string, dir = EFIVARS_DIR): string {
  return `${dir}/${name}-${LOADER_GUID}`;
}
