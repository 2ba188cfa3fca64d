// dialogos image: placeholder until its owner fills it in.
import type { Command } from 'commander';

export function registerImage(program: Command): void {
  void program;
}
