// Runs host tools for the image builder: argv arrays only (no shell), stderr kept for the error message.
import { spawn } from 'node:child_process';
import { ToolError } from './errors.js';

export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Bytes written to the tool's stdin. */
  input?: Buffer | string;
}

/**
 * Runs `tool args…` and resolves with its stdout.
 * @throws ToolError when the tool cannot start or exits non-zero
 */
export function execTool(tool: string, args: readonly string[], opts: ExecOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, {
      cwd: opts.cwd,
      env: { ...process.env, LC_ALL: 'C', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new ToolError(tool, args, e.message, { cause: e })));
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString();
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new ToolError(tool, args, stderr || `exit ${code ?? signal}`));
    });
    child.stdin.on('error', () => { /* a tool that exits early closes its stdin; the exit code reports it */ });
    child.stdin.end(opts.input ?? '');
  });
}

/** Like execTool, stdout as trimmed text. */
export async function execText(tool: string, args: readonly string[], opts: ExecOptions = {}): Promise<string> {
  return (await execTool(tool, args, opts)).toString().trim();
}
