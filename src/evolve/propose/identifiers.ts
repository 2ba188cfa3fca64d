// Identifier swaps from the code in scope: a variable read at a suspect line replaced by another variable
// visible there (the TypeChecker's symbols in scope) of the same type, or, failing types, of a similar name.
// The checker sees one file without its imports or lib (fast, and enough for the types of locals).
import type * as TS from 'typescript';
import type { Proposal, ProposeContext, Proposer } from '../types.js';
import { FileCache, toProposals, type EditIdea, type Ts } from './edit.js';
import { nodesOnLine } from './scope.js';

/** Levenshtein distance, for "similar name" (e.g. `start`/`stop`, `len`/`lens`). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

const similar = (a: string, b: string) => editDistance(a, b) <= Math.max(1, Math.floor(Math.min(a.length, b.length) / 3)) || (a.length >= 3 && b.startsWith(a.slice(0, 3)));

function checkerFor(ts: Ts, path: string, text: string): { checker: TS.TypeChecker; sf: TS.SourceFile } {
  const options: TS.CompilerOptions = { noResolve: true, noLib: true, target: ts.ScriptTarget.ES2022, strict: true, types: [] };
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const host = ts.createCompilerHost(options);
  const base = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang) => (name === path ? sf : base(name, lang));
  const program = ts.createProgram({ rootNames: [path], options, host });
  return { checker: program.getTypeChecker(), sf: program.getSourceFile(path)! };
}

/** A read of a value identifier (not a declaration's name, a property name or a type). */
function isRead(ts: Ts, n: TS.Node): n is TS.Identifier {
  if (!ts.isIdentifier(n) || !ts.isExpression(n)) return false;
  const p = n.parent;
  const assignedTo = ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken;
  return !(ts.isPropertyAccessExpression(p) && p.name === n) && (p as { name?: TS.Node }).name !== n && !ts.isTypeNode(p) && !assignedTo;
}

/** Swaps for one identifier: same type first (prior 1), then similar names (prior 0.5). */
function swapsFor(ts: Ts, checker: TS.TypeChecker, sf: TS.SourceFile, id: TS.Identifier): Array<{ name: string; why: string; weight: number }> {
  const own = checker.getSymbolAtLocation(id);
  if (!own) return [];
  const type = checker.typeToString(checker.getTypeAtLocation(id));
  const out: Array<{ name: string; why: string; weight: number }> = [];
  for (const sym of checker.getSymbolsInScope(id, ts.SymbolFlags.Variable)) {
    const decl = sym.valueDeclaration;
    if (sym === own || !decl || decl.getSourceFile() !== sf || sym.name === id.text) continue;
    const blockScoped = ts.isVariableDeclaration(decl) && (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.BlockScoped) !== 0;
    if (blockScoped && decl.end > id.getStart(sf)) continue; // not yet declared here
    const t = checker.typeToString(checker.getTypeOfSymbolAtLocation(sym, id));
    if (t === type && type !== 'any') out.push({ name: sym.name, why: `same type ${type}`, weight: 1 });
    else if (similar(id.text, sym.name)) out.push({ name: sym.name, why: 'similar name', weight: 0.5 });
  }
  return out.sort((a, b) => b.weight - a.weight);
}

/** The identifier-swap proposer. */
export function identifierProposer(ts: Ts): Proposer {
  return {
    name: 'identifiers',
    propose(ctx: ProposeContext): AsyncIterable<Proposal> {
      const files = new FileCache(ctx.root);
      async function* ideas(): AsyncIterable<EditIdea> {
        for (const s of ctx.suspects) {
          const { checker, sf } = checkerFor(ts, s.path, await files.read(s.path));
          for (const node of nodesOnLine(ts, sf, s.line)) {
            if (!isRead(ts, node) || sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 !== s.line) continue;
            for (const swap of swapsFor(ts, checker, sf, node)) {
              yield {
                path: s.path, edit: { start: node.getStart(sf), end: node.end, text: swap.name }, operator: 'identifier-swap', prior: s.score * swap.weight,
                description: `identifier-swap at ${s.path}:${s.line}: "${node.text}" -> "${swap.name}" (${swap.why})`,
              };
            }
          }
        }
      }
      return toProposals(ts, files, ideas(), { proposer: 'identifiers', limit: ctx.limit, seed: ctx.seed });
    },
  };
}
