import { processRunnerCompliance } from '../../testkit/core/services/compliance-runner.js';
import { MemoryRunner } from '../../testkit/core/services/runner-memory.js';
import { createNodeRunner } from './runner-node.js';

const base = { env: { PATH: '/usr/bin:/bin' }, args: [] as string[] };

processRunnerCompliance('node:child_process', () => ({
  runner: createNodeRunner(),
  exitWith: (code, line, err) => ({ ...base, unit: 't', command: '/bin/sh', args: ['-c', `echo ${line}; echo ${err} >&2; exit ${code}`] }),
  sleeper: () => ({ ...base, unit: 't', command: 'sleep', args: ['1000'] }),
  family: () => ({ ...base, unit: 't', command: '/bin/sh', args: ['-c', 'sleep 1000 & sleep 1000 & echo forked; wait'] }),
  echoEnv: (name) => ({ ...base, unit: 't', command: '/bin/sh', args: ['-c', `echo "$${name}"`] }),
  longLine: (n) => ({ ...base, unit: 't', command: process.execPath, args: ['-e', `process.stdout.write('x'.repeat(${n}) + '\\n')`] }),
  missing: () => ({ ...base, unit: 't', command: '/nonexistent/dialogos-cmd' }),
}));

processRunnerCompliance('in-memory', () => {
  const runner = new MemoryRunner();
  runner.program('exit-with', (ctl) => { ctl.print(ctl.req.args[1]!); ctl.print(ctl.req.args[2]!, 'stderr'); ctl.exit(Number(ctl.req.args[0])); });
  runner.program('family', (ctl) => { ctl.fork(); ctl.fork(); ctl.print('forked'); });
  runner.program('echo-env', (ctl) => { ctl.print(ctl.req.env[ctl.req.args[0]!] ?? ''); ctl.exit(0); });
  runner.program('long-line', (ctl) => { ctl.print('x'.repeat(Number(ctl.req.args[0]))); ctl.exit(0); });
  runner.failSpawn('missing', 'ENOENT');
  return {
    runner,
    exitWith: (code, line, err) => ({ ...base, unit: 't', command: 'exit-with', args: [String(code), line, err] }),
    sleeper: () => ({ ...base, unit: 't', command: 'sleeper' }),
    family: () => ({ ...base, unit: 't', command: 'family' }),
    echoEnv: (name) => ({ ...base, unit: 't', command: 'echo-env', args: [name] }),
    longLine: (n) => ({ ...base, unit: 't', command: 'long-line', args: [String(n)] }),
    missing: () => ({ ...base, unit: 't', command: 'missing' }),
  };
});
