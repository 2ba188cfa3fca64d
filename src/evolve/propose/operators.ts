// First-order mutation operators over the TypeScript syntax tree (the mutation-testing set, as in Stryker and
// PIT). One implementation serves two uses: the mutation proposer applies them at suspect lines to repair a
// defect, and src/evolve/defects applies them to correct code to seed one.
import type * as TS from 'typescript';
import type { Edit, Ts } from './edit.js';

/** Edits an operator offers at one node (none when it does not apply there). */
export type Operator = (ts: Ts, node: TS.Node, sf: TS.SourceFile) => Edit[];

const K = (ts: Ts) => ts.SyntaxKind;

/** Replaces a binary expression's operator token by each mapped alternative. */
function tokenSwap(table: (ts: Ts) => Map<TS.SyntaxKind, string[]>): Operator {
  return (ts, node, sf) => {
    if (!ts.isBinaryExpression(node)) return [];
    const alts = table(ts).get(node.operatorToken.kind) ?? [];
    const tok = node.operatorToken;
    return alts.map((text) => ({ start: tok.getStart(sf), end: tok.end, text }));
  };
}

const table = (pairs: Array<[TS.SyntaxKind, string[]]>) => new Map(pairs);

const swapArithmetic = tokenSwap((ts) => table([[K(ts).PlusToken, ['-']], [K(ts).MinusToken, ['+']], [K(ts).AsteriskToken, ['/']], [K(ts).SlashToken, ['*']], [K(ts).PercentToken, ['*']]]));
const swapRelational = tokenSwap((ts) => table([[K(ts).LessThanToken, ['>']], [K(ts).GreaterThanToken, ['<']], [K(ts).LessThanEqualsToken, ['>=']], [K(ts).GreaterThanEqualsToken, ['<=']]]));
const boundary = tokenSwap((ts) => table([[K(ts).LessThanToken, ['<=']], [K(ts).LessThanEqualsToken, ['<']], [K(ts).GreaterThanToken, ['>=']], [K(ts).GreaterThanEqualsToken, ['>']]]));
const swapEquality = tokenSwap((ts) => table([
  [K(ts).EqualsEqualsEqualsToken, ['!==']], [K(ts).ExclamationEqualsEqualsToken, ['===']],
  [K(ts).EqualsEqualsToken, ['!=']], [K(ts).ExclamationEqualsToken, ['==']],
]));
const swapLogical = tokenSwap((ts) => table([[K(ts).AmpersandAmpersandToken, ['||']], [K(ts).BarBarToken, ['&&']]]));
const swapNullish = tokenSwap((ts) => table([[K(ts).QuestionQuestionToken, ['||']], [K(ts).BarBarToken, ['??']]]));

/** The condition of an if, while, do or ternary, when `node` is one. */
export function conditionOf(ts: Ts, node: TS.Node): TS.Expression | undefined {
  if (ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) return node.expression;
  if (ts.isConditionalExpression(node)) return node.condition;
  return undefined;
}

const negateCondition: Operator = (ts, node, sf) => {
  const c = conditionOf(ts, node);
  if (!c || (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken)) return [];
  return [{ start: c.getStart(sf), end: c.end, text: `!(${c.getText(sf)})` }];
};

const removeNot: Operator = (ts, node, sf) => {
  if (!ts.isPrefixUnaryExpression(node) || node.operator !== ts.SyntaxKind.ExclamationToken) return [];
  return [{ start: node.getStart(sf), end: node.end, text: node.operand.getText(sf) }];
};

/** `!` before an operand of && or || (a whole condition is negate-condition's). */
const insertNot: Operator = (ts, node, sf) => {
  const p = node.parent;
  if (!p || !ts.isBinaryExpression(p) || ![ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken].includes(p.operatorToken.kind)) return [];
  if (node !== p.left && node !== p.right) return [];
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return [];
  const inner = node.getText(sf);
  const simple = ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isCallExpression(node) || ts.isParenthesizedExpression(node);
  return [{ start: node.getStart(sf), end: node.end, text: simple ? `!${inner}` : `!(${inner})` }];
};

/** Numeric literals in value positions (not literal types, property or enum member names). */
function isValueLiteral(ts: Ts, node: TS.Node): node is TS.NumericLiteral {
  return ts.isNumericLiteral(node) && !ts.isLiteralTypeNode(node.parent) && (node.parent as { name?: TS.Node }).name !== node;
}

const literalNumber: Operator = (ts, node, sf) => {
  if (!isValueLiteral(ts, node)) return [];
  const v = Number(node.text);
  if (!Number.isFinite(v)) return [];
  const negated = ts.isPrefixUnaryExpression(node.parent) && node.parent.operator === ts.SyntaxKind.MinusToken;
  const alts = new Set([0, 1, v + 1, v - 1].filter((x) => x !== v && x >= 0));
  if (!negated) alts.add(-1);
  alts.delete(v);
  return [...alts].map((x) => ({ start: node.getStart(sf), end: node.end, text: x < 0 ? `(${x})` : String(x) }));
};

const literalBoolean: Operator = (ts, node, sf) => {
  if (node.kind === ts.SyntaxKind.TrueKeyword) return [{ start: node.getStart(sf), end: node.end, text: 'false' }];
  if (node.kind === ts.SyntaxKind.FalseKeyword) return [{ start: node.getStart(sf), end: node.end, text: 'true' }];
  return [];
};

/** Kali-style deletion of a statement (expression, if, return, break, continue). */
const deleteStatement: Operator = (ts, node, sf) => {
  const deletable = ts.isExpressionStatement(node) || ts.isIfStatement(node) || ts.isReturnStatement(node) || ts.isBreakStatement(node) || ts.isContinueStatement(node);
  if (!deletable) return [];
  if (ts.isIfStatement(node.parent) && node.parent.elseStatement === node) return [];
  const inList = ts.isBlock(node.parent) || ts.isSourceFile(node.parent) || ts.isCaseClause(node.parent) || ts.isDefaultClause(node.parent);
  return [{ start: node.getStart(sf), end: node.end, text: inList ? '' : '{}' }];
};

function inAsyncFunction(ts: Ts, node: TS.Node): boolean {
  for (let p: TS.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p)) return (ts.getCombinedModifierFlags(p as TS.Declaration) & ts.ModifierFlags.Async) !== 0;
  }
  return false;
}

/** `await` before a call whose promise is dropped or stored (statement, initializer, return). */
const addAwait: Operator = (ts, node, sf) => {
  if (!ts.isCallExpression(node) || !inAsyncFunction(ts, node)) return [];
  const p = node.parent;
  const placed = ts.isExpressionStatement(p) || (ts.isVariableDeclaration(p) && p.initializer === node) || ts.isReturnStatement(p);
  return placed ? [{ start: node.getStart(sf), end: node.getStart(sf), text: 'await ' }] : [];
};

/** Defect-only: drops an `await` (its fix, add-await, is a proposer operator, but the bug is silent). */
const removeAwait: Operator = (ts, node, sf) => {
  if (!ts.isAwaitExpression(node)) return [];
  return [{ start: node.getStart(sf), end: node.end, text: node.expression.getText(sf) }];
};

/** Defect-only: a wrong constant, out of reach of literal-number's 0, 1, -1 and ±1. */
const wrongConstant: Operator = (ts, node, sf) => {
  if (!isValueLiteral(ts, node)) return [];
  const v = Number(node.text);
  if (!Number.isInteger(v) || v < 2) return [];
  return [{ start: node.getStart(sf), end: node.end, text: String(v * 2 + 3) }];
};

/** The proposer's operators, by name. */
export const MUTATION_OPERATORS: Record<string, Operator> = {
  'swap-arithmetic': swapArithmetic,
  'swap-relational': swapRelational,
  boundary,
  'swap-equality': swapEquality,
  'swap-logical': swapLogical,
  'swap-nullish': swapNullish,
  'negate-condition': negateCondition,
  'remove-not': removeNot,
  'insert-not': insertNot,
  'literal-number': literalNumber,
  'literal-boolean': literalBoolean,
  'delete-statement': deleteStatement,
  'add-await': addAwait,
};

/** Operators that seed defects whose fix lies outside MUTATION_OPERATORS' direct inverse. */
export const DEFECT_ONLY_OPERATORS: Record<string, Operator> = {
  'remove-await': removeAwait,
  'wrong-constant': wrongConstant,
};
