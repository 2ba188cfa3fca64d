import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sysOpsCompliance } from '../../testkit/core/services/compliance-sysops.js';
import { memorySysOps } from '../../testkit/core/services/sysops-memory.js';
import { createNodeSysOps } from './sysops-node.js';
import { prerequisite } from '../../testkit/prerequisite.js';

sysOpsCompliance('busybox and /proc', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sysops-'));
  return {
    ops: await createNodeSysOps({ runDir: join(dir, 'run') }),
    dir, mountMissing: () => prerequisite('root', process.getuid?.() === 0, 'mounting needs root'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

sysOpsCompliance('in-memory', async () => {
  const ops = memorySysOps();
  ops.mount.paths.add('/t');
  return { ops, dir: '/t', mountMissing: () => false };
});
