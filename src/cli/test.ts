// dialogos test: placeholder until its owner fills it in.
import type { Command } from 'commander';

export function registerTest(program: Command): void {
  void program;
}
