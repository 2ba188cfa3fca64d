// The phrase grammar of the retrieval rules: regex text with named pieces, written as
// phrase`where is ${symbol('name')} defined` and read back as "where is {symbol:name} defined".
// Pieces that capture take the capture's name; phrases match the whole (normalized) line, any case.

export interface Piece { label: string; source: string }
export interface Phrase { /** The pattern as written, pieces shown as {label}. */ text: string; re: RegExp }

const piece = (label: string, source: string): Piece => ({ label, source });

/** Builds a whole-line, case-insensitive pattern; the template's text is regex syntax, raw. */
export function phrase(strings: TemplateStringsArray, ...pieces: Piece[]): Phrase {
  const raw = strings.raw;
  const text = raw[0]! + pieces.map((p, i) => `{${p.label}}${raw[i + 1]!}`).join('');
  const source = raw[0]! + pieces.map((p, i) => p.source + raw[i + 1]!).join('');
  return { text, re: new RegExp(`^(?:${source})$`, 'i') };
}

/** An optional "the ". */
export const THE = piece('the', String.raw`(?:the\s+)?`);
/** An optional "unit " or "service " before a unit name. */
export const UNIT_WORD = piece('unit-word', String.raw`(?:unit\s+|service\s+)?`);
/** An optional " unit" or " service" after a unit name. */
export const UNIT_AFTER = piece('unit-after', String.raw`(?:\s+(?:unit|service))?`);
/** An optional kind of symbol: "function ", "class ", ... */
export const SYMBOL_KIND = piece('symbol-kind',
  String.raw`(?:function\s+|class\s+|method\s+|type\s+|interface\s+|symbol\s+|constant\s+)?`);
/** The ways a unit is said to be broken. */
export const BROKEN = piece('broken',
  String.raw`(?:fail(?:ed|ing)?|crash(?:ed|ing)?|down|dead|stopped|not running|keep failing)`);

/** What a module is called: "module", "file", "folder" or "subsystem". */
export const MODULE_WORD = piece('module-word', String.raw`(?:module|file|folder|subsystem)`);

/** A symbol, maybe dotted, maybe in backticks, maybe followed by "()". */
export const symbol = (name: string): Piece =>
  piece(`symbol:${name}`, String.raw`\`?(?<${name}>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\`?(?:\(\))?`);
/** A source path or module name, maybe in backticks (shortest that lets the rest match). */
export const path = (name: string): Piece => piece(`path:${name}`, String.raw`\`?(?<${name}>[\w./@-]+?)\`?`);
/** A unit name, maybe in backticks. */
export const unit = (name: string): Piece => piece(`unit:${name}`, String.raw`\`?(?<${name}>[a-z0-9][a-z0-9._-]*)\`?`);
/** A generation id (or a prefix of one), maybe in backticks. */
export const gen = (name: string): Piece => piece(`gen:${name}`, String.raw`\`?(?<${name}>[\w.-]+)\`?`);
