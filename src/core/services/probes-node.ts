// Real readiness probes: stat for files, a connect attempt for TCP and unix sockets.
import { stat } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Probes } from './ports.js';

export const nodeProbes: Probes = {
  fileExists: (path) => stat(path).then(() => true, () => false),
  connects: (target, timeoutMs) =>
    new Promise<boolean>((resolve) => {
      const sock = 'path' in target ? connect(target.path) : connect(target.port, target.host);
      const done = (ok: boolean): void => {
        clearTimeout(t);
        sock.destroy();
        resolve(ok);
      };
      const t = setTimeout(() => done(false), timeoutMs);
      sock.once('connect', () => done(true));
      sock.once('error', () => done(false));
    }),
};
