// /data/dialogos/boot.json: the machine's boot settings. A missing file means defaults; a broken one is
// reported and ignored, since a typo there must not stop the machine from booting.
import type { BootPlatform } from './platform.js';

export const DEFAULT_MENU_MS = 1000;
export const BOOT_JSON = '/data/dialogos/boot.json';

export interface BootConfig {
  menuTimeoutMs: number;
}

export function readBootConfig(p: BootPlatform, path = BOOT_JSON): BootConfig {
  let text: string;
  try {
    text = p.readFile(path).toString('utf8');
  } catch {
    return { menuTimeoutMs: DEFAULT_MENU_MS };
  }
  try {
    const value: unknown = (JSON.parse(text) as { menuTimeoutMs?: unknown }).menuTimeoutMs;
    if (value === undefined) return { menuTimeoutMs: DEFAULT_MENU_MS };
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 600_000) {
      return { menuTimeoutMs: value };
    }
    p.print(`dialogos: ignoring menuTimeoutMs in ${path}: expected milliseconds from 0 to 600000`);
  } catch (err) {
    p.print(`dialogos: ignoring ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { menuTimeoutMs: DEFAULT_MENU_MS };
}
