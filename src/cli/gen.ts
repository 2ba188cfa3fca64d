// dialogos gen: placeholder until its owner fills it in.
import type { Command } from 'commander';

export function registerGen(program: Command): void {
  void program;
}
