#!/usr/bin/env node
// dialogos: the command line of Dialogos, on a build host and inside the booted OS.
// Each verb group lives in its own file and registers itself on the program here.
import { Command, CommanderError } from 'commander';
import { registerGen } from './gen.js';
import { registerImage } from './image.js';
import { registerUp } from './up.js';
import { registerTest } from './test.js';
import { registerDaemon } from './daemon.js';
import { registerPower } from './power.js';
import { registerStatus } from './status.js';
import { registerSvc } from './svc.js';
import { registerLogs } from './logs.js';
import { registerHost } from './host.js';
import { registerChat } from './chat.js';
import { registerModel } from './model.js';
import { registerModelTrain } from './model-train.js';
import { registerLlm } from './llm.js';
import { registerCode } from './code.js';
import { registerEvolve } from './evolve.js';
import { Store, createNodeFileSystem, generateSigningKey } from '../gen/index.js';
import type { GenBindings } from '../core/index.js';

const genBindings = (): GenBindings => ({ openStore: (root) => new Store(createNodeFileSystem(), root), generateSigningKey });

export async function run(argv: string[]): Promise<number> {
  const program = new Command('dialogos')
    .description('Dialogos: boot, inspect and rebuild signed generations of this OS')
    .exitOverride()
    .showHelpAfterError();
  registerUp(program);
  registerTest(program);
  registerImage(program);
  registerGen(program);
  registerDaemon(program, genBindings);
  registerPower(program, genBindings);
  registerStatus(program);
  registerSvc(program);
  registerLogs(program);
  registerHost(program);
  registerChat(program);
  registerModelTrain(registerModel(program));
  registerLlm(program);
  registerCode(program);
  registerEvolve(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    const e = err as Error;
    process.stderr.write(`dialogos: ${e.message}\n`);
    return 1;
  }
}

run(process.argv.slice(2)).then((code) => { process.exitCode = code; });
