// Entry of the boot stage, bundled by the image builder with esbuild into /usr/lib/dialogos/stage.mjs.
// PID 1 runs it as `node /usr/lib/dialogos/stage.mjs`; see runStage for what the exit code means.
import { openGenStore } from './gen-binding.js';
import { createNodePlatform } from './platform-node.js';
import { runStage } from './stage.js';

const platform = createNodePlatform();
runStage({ platform, openStore: openGenStore }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    platform.print(`dialogos: boot stage crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(70);
  },
);
