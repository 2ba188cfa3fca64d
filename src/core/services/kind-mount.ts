// The mount controller: each enabled mount spec is mounted (its target created first); one already
// mounted with the same source and type is left as it is. A mount this controller made is unmounted
// when its spec is disabled or removed. Status: `running` when mounted, `failed` with the OS's reason
// (device missing, wrong type, busy), `unsupported` where this instance may not mount (not root).
import { type KindController, kindStatus } from './kinds.js';
import type { MountSpec } from './schema.js';
import type { MountOps } from './sysops.js';

export interface MountOptions {
  /** Set when this instance cannot mount (not root): state `unsupported`. */
  unsupported?: string;
  warn?(message: string): void;
}

export function mountController(ops: MountOps, o: MountOptions = {}): KindController<'mount'> {
  /** Mounts this controller made: name -> the spec it mounted. */
  const ours = new Map<string, MountSpec>();
  let known = new Set<string>();

  const unmount = async (m: MountSpec): Promise<string | null> => {
    try {
      await ops.umount(m.target);
      ours.delete(m.name);
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  };

  return {
    kind: 'mount',
    async reconcile(specs, board, now) {
      const names = new Set(specs.map((s) => s.name));
      for (const n of known) {
        if (names.has(n)) continue;
        const m = ours.get(n);
        const why = m ? await unmount(m) : null;
        if (why) o.warn?.(`mount "${n}" was removed from the specs but ${m!.target} stays mounted: ${why}`);
        board.delete('mount', n);
      }
      known = names;
      for (const s of specs) {
        const set = (state: Parameters<typeof kindStatus>[2], reason: string): void => board.set(kindStatus('mount', s.name, state, reason, s.enabled, now));
        const prev = ours.get(s.name);
        // A changed or disabled spec: what we mounted before goes first.
        if (prev && (!s.enabled || JSON.stringify(prev) !== JSON.stringify(s))) {
          const why = await unmount(prev);
          if (why) {
            set('failed', `cannot unmount ${prev.target} to apply the change: ${why}`);
            continue;
          }
        }
        if (!s.enabled) { set('inactive', 'disabled'); continue; }
        if (o.unsupported) { set('unsupported', `not applied: ${o.unsupported}`); continue; }
        const now2 = await ops.mounted(s.target);
        if (now2 && now2.source === s.source && now2.type === s.type) {
          set('running', `${s.source} (${s.type}) is mounted on ${s.target}${ours.has(s.name) ? '' : ' (found mounted)'}`);
          continue;
        }
        try {
          if (s.source.startsWith('/dev/') && !(await ops.exists(s.source))) throw new Error(`device ${s.source} is missing`);
          if (!(await ops.exists(s.target))) await ops.mkdirp(s.target);
          await ops.mount(s.source, s.type, s.target, s.options);
          ours.set(s.name, s);
          set('running', `mounted ${s.source} (${s.type}${s.options.length ? `, ${s.options.join(',')}` : ''}) on ${s.target}`);
        } catch (err) {
          set('failed', `cannot mount ${s.source} on ${s.target}: ${(err as Error).message}`);
        }
      }
    },
  };
}
