// The sandbox of the self-improvement loop: runs a command against a candidate's tree, isolated (README.md).
export { createSandboxRunner, DEFAULT_HIDE } from './runner.js';
export type { SandboxOptions } from './runner.js';
export { TREE as SANDBOX_TREE } from './setup.js';
export { buildJail } from './jail-build.js';
export { SandboxUnavailableError, SandboxRequestError, SandboxSetupError } from './errors.js';
