// The mutation proposer: first-order operators (operators.ts) at the suspect lines, most suspicious first.
// Its prior is the suspect's score, so the queue tries the likeliest places first.
import type { Proposal, ProposeContext, Proposer } from '../types.js';
import { FileCache, toProposals, type EditIdea, type Ts } from './edit.js';
import { MUTATION_OPERATORS, type Operator } from './operators.js';
import { mutationSites } from './sites.js';

export interface MutationOptions {
  /** Operators to use (default: all of MUTATION_OPERATORS). */
  operators?: Record<string, Operator>;
}

/**
 * @example for await (const p of mutationProposer(ts).propose(ctx)) queue.push(p)
 */
export function mutationProposer(ts: Ts, o: MutationOptions = {}): Proposer {
  const operators = o.operators ?? MUTATION_OPERATORS;
  return {
    name: 'mutation',
    propose(ctx: ProposeContext): AsyncIterable<Proposal> {
      const files = new FileCache(ctx.root);
      async function* ideas(): AsyncIterable<EditIdea> {
        for (const s of ctx.suspects) {
          const text = await files.read(s.path);
          for (const site of mutationSites(ts, s.path, text, operators, new Set([s.line]))) {
            yield {
              path: s.path, edit: site.edit, operator: site.operator, prior: s.score,
              description: `${site.operator} at ${s.path}:${site.line}: "${site.before}" -> "${site.after}"`,
            };
          }
        }
      }
      return toProposals(ts, files, ideas(), { proposer: 'mutation', limit: ctx.limit, seed: ctx.seed });
    },
  };
}
