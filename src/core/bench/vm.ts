// bench/core --vm: dialogosd's start-to-ready inside a booted machine (TCG here), from the console's
// timestamped lines: QEMU start -> `dialogosd starting` (the boot chain: firmware, loader, kernel, the
// boot stage) is the reference; `dialogosd starting` -> `dialogos ready` is dialogosd's own part (machine
// key, health checks, bless), then the API answering `dialogos status` from the operator shell.
import { defaultImagePath, ensureImage, withMachine } from '../../vm/index.js';
import { READY, sh, shellPrompt, GUEST_DIALOGOS } from '../../testkit/core/vmkit.js';

export interface VmFigures { bootChainMs: number; dialogosdToReadyMs: number; statusCallMs: number }

export async function vmStartToReady(runs: number): Promise<VmFigures[]> {
  const image = defaultImagePath();
  await ensureImage(image, (l) => process.stderr.write(`${l}\n`));
  const out: VmFigures[] = [];
  for (let k = 0; k < runs; k++) {
    await withMachine(image, async (m) => {
      const vm = await m.boot();
      await vm.waitFor(READY, { timeoutMs: 300_000 });
      const lines = vm.lines();
      const start = lines.find((l) => l.text.includes('dialogosd starting generation='));
      const ready = lines.find((l) => /dialogos ready generation=/.test(l.text));
      if (!start || !ready) throw new Error('no start or ready line on the console');
      await shellPrompt(vm);
      const t = performance.now();
      const r = await sh(vm, `${GUEST_DIALOGOS} status >/dev/null`);
      const statusCallMs = performance.now() - t;
      if (r.status !== 0) throw new Error(`dialogos status in the guest exited ${r.status}: ${r.output}`);
      out.push({ bootChainMs: start.tMs, dialogosdToReadyMs: ready.tMs - start.tMs, statusCallMs });
      await vm.kill();
    }, { diskCopy: 'overlay' });
  }
  return out;
}
