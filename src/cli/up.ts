// dialogos up: placeholder until its owner fills it in.
import type { Command } from 'commander';

export function registerUp(program: Command): void {
  void program;
}
