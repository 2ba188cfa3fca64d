// The kernel command line keys the boot stage reads. Words are split as the kernel does (spaces, with
// double quotes grouping); unknown keys are ignored and malformed values are reported, never thrown.

export interface BootCmdline {
  /** `dialogos.gen=<id>`: boot exactly this generation (set on the kexec'd kernel's command line). */
  forcedId: string | null;
  /** `dialogos.menu=<ms>`: menu timeout, overrides boot.json. */
  menuMs: number | null;
  /** `dialogos.datawait=<ms>`: how long to wait for the data partition. */
  dataWaitMs: number | null;
  /** Lines for the console about values that were ignored. */
  warnings: string[];
}

const MAX_MS = 600_000;
const ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Kernel-style word splitting: whitespace separates, double quotes group and are removed. */
export function splitCmdline(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quoted = false;
  let any = false;
  for (const ch of text) {
    if (ch === '"') { quoted = !quoted; any = true; continue; }
    if (!quoted && /\s/.test(ch)) {
      if (any) words.push(word);
      word = '';
      any = false;
      continue;
    }
    word += ch;
    any = true;
  }
  if (any) words.push(word);
  return words;
}

function parseMs(key: string, value: string, warnings: string[]): number | null {
  if (/^\d{1,7}$/.test(value) && Number(value) <= MAX_MS) return Number(value);
  warnings.push(`dialogos: ignoring ${key}="${value}": expected milliseconds from 0 to ${MAX_MS}`);
  return null;
}

/** Parses /proc/cmdline; the last occurrence of a key wins, as for kernel parameters. */
export function parseCmdline(text: string): BootCmdline {
  const out: BootCmdline = { forcedId: null, menuMs: null, dataWaitMs: null, warnings: [] };
  for (const word of splitCmdline(text)) {
    const eq = word.indexOf('=');
    if (eq < 0) continue;
    const key = word.slice(0, eq);
    const value = word.slice(eq + 1);
    if (key === 'dialogos.gen') {
      if (ID.test(value)) out.forcedId = value;
      else out.warnings.push(`dialogos: ignoring dialogos.gen="${value}": not a generation id`);
    } else if (key === 'dialogos.menu') {
      out.menuMs = parseMs(key, value, out.warnings) ?? out.menuMs;
    } else if (key === 'dialogos.datawait') {
      out.dataWaitMs = parseMs(key, value, out.warnings) ?? out.dataWaitMs;
    }
  }
  return out;
}
