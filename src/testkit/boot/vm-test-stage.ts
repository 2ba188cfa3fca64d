// Entry of the boot stage used by initramfs.vmlong.test.ts: the real stage and platform over a small JSON
// store, so the VM test checks PID 1, the stage, switch_root and kexec before src/gen is bound. Never shipped.
import * as fs from 'node:fs';
import { createNodePlatform } from '../../boot/platform-node.js';
import { runStage } from '../../boot/stage.js';
import type { BootStore, Mark } from '../../boot/store.js';
import type { StoreState } from '../../gen/types.js';

function durableWrite(path: string, text: string): void {
  const fd = fs.openSync(`${path}.tmp`, 'w');
  fs.writeSync(fd, text);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(`${path}.tmp`, path);
}

function openJsonStore(root: string): BootStore {
  const dir = `${root}/dialogos/store`;
  const read = (): StoreState => JSON.parse(fs.readFileSync(`${dir}/state.json`, 'utf8')) as StoreState;
  return {
    readState: read,
    async select(state, o) {
      const byVersion = Object.keys(state.generations).sort((a, b) => state.generations[b]!.version - state.generations[a]!.version);
      const fallbacks: Mark[] = [];
      for (const id of new Set([o.forcedId, o.menuPick, state.default, ...byVersion].filter((x): x is string => !!x))) {
        try {
          await o.verify(id);
        } catch (err) {
          fallbacks.push({ id, reason: (err as Error).message });
          continue;
        }
        const reason = id === o.forcedId ? 'kexec' : id === o.menuPick ? 'menu' : fallbacks.length ? 'fallback' : 'default';
        return { id, reason, attempt: state.generations[id]!.status === 'staged' ? 1 : 0, fallbacks, markBad: fallbacks };
      }
      throw new Error('every generation was refused');
    },
    verify(id) {
      if (fs.existsSync(`${dir}/gens/${id}/CORRUPT`)) throw new Error(`Cannot boot generation "${id}": file "main.js" digest does not match the manifest`);
      return { id, manifest: JSON.parse(fs.readFileSync(`${dir}/gens/${id}/manifest.json`, 'utf8')), treeDir: `${dir}/gens/${id}/tree` };
    },
    recordTry(d) {
      if (d.reason === 'kexec') return; // the second half of a kexec boot: the try was recorded before it
      const state = read();
      state.trial = { id: d.id, startedAt: new Date().toISOString() };
      durableWrite(`${dir}/state.json`, JSON.stringify(state));
      fs.appendFileSync(`${dir}/tries.log`, `${d.id} ${d.reason}\n`);
    },
    markBad(id, reason) {
      const state = read();
      const g = state.generations[id];
      if (g) Object.assign(g, { status: 'bad', badReason: reason });
      durableWrite(`${dir}/state.json`, JSON.stringify(state));
    },
  };
}

const platform = createNodePlatform();
runStage({ platform, openStore: openJsonStore }).then((code) => process.exit(code));
