// The console menu: lists generations, waits a short time for a digit, and returns the pick (or null for
// the policy's own choice). Enter boots the default at once; other keys are ignored.
import type { StoreState } from '../gen/types.js';
import type { BootPlatform } from './platform.js';

export interface MenuEntry {
  key: string;
  id: string;
  line: string;
}

/** Newest first, at most nine (one digit each). */
export function menuEntries(state: StoreState): MenuEntry[] {
  const ids = Object.keys(state.generations).sort((a, b) => {
    const va = state.generations[a]?.version ?? 0;
    const vb = state.generations[b]?.version ?? 0;
    return vb - va || (a < b ? -1 : a > b ? 1 : 0);
  });
  return ids.slice(0, 9).map((id, i) => {
    const g = state.generations[id]!;
    const marks = [
      id === state.default ? 'default' : '',
      id === state.oneShot ? 'next' : '',
      id === state.lastGood ? 'last-good' : '',
      g.pinned ? 'pinned' : '',
      g.recovery ? 'recovery' : '',
    ].filter(Boolean);
    const tries = g.status === 'staged' ? `  tries left ${g.triesLeft}` : '';
    const key = String(i + 1);
    return { key, id, line: `  ${key}) ${id}  ${g.status}  v${g.version}${tries}${marks.length ? `  [${marks.join(', ')}]` : ''}` };
  });
}

/** Shows the menu and waits up to `timeoutMs` for a pick. */
export async function runMenu(p: BootPlatform, state: StoreState, timeoutMs: number): Promise<string | null> {
  const entries = menuEntries(state);
  if (entries.length === 0 || timeoutMs <= 0) return null;
  const keys = p.openKeys();
  p.print(`dialogos: generations (${keys ? 'press a digit to boot one, Enter for the default' : 'no console keyboard: booting the default'}):`);
  for (const e of entries) p.print(e.line);
  if (!keys) return null;
  try {
    const deadline = p.now() + timeoutMs;
    for (let left = timeoutMs; left > 0; left = deadline - p.now()) {
      const key = await keys.read(left);
      if (key === null || key === '\r' || key === '\n') break;
      const hit = entries.find((e) => e.key === key);
      if (hit) {
        p.print(`dialogos: menu pick ${hit.key}: ${hit.id}`);
        return hit.id;
      }
    }
    return null;
  } finally {
    keys.close();
  }
}
