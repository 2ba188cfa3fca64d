// Entry of the boot stage, bundled by the image builder with esbuild into /usr/lib/dialogos/stage.mjs.
// PID 1 runs it as `node /usr/lib/dialogos/stage.mjs`; see runStage for what the exit code means.
// The stage bundle's composition root: the only place src/boot meets src/gen.
import * as gen from '../gen/index.js';
import { bindGenStore } from './gen-binding.js';
import { createNodePlatform } from './platform-node.js';
import { runStage } from './stage.js';

const platform = createNodePlatform();
runStage({ platform, openStore: bindGenStore(gen, platform.print) }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    platform.print(`dialogos: boot stage crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(70);
  },
);
