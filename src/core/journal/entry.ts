// Checks and bounds an entry before it is stored. Oversized text is cut and flagged rather than
// refused, so that a runaway service loses the tail of a message, never the message.
import { JournalEntryError } from './errors.js';
import { isLevel, type EntryInput, type Level } from './types.js';

export const UNIT_PATTERN = /^[A-Za-z0-9@._:-]{1,128}$/;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
export const MAX_MESSAGE_CHARS = 64 * 1024;
export const MAX_FIELD_CHARS = 32 * 1024; // room for the base64 of a whole 16 KiB binary line
export const MAX_FIELDS = 64;

/** Cuts `s` to at most `max` UTF-16 units without splitting a surrogate pair. */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const c = s.charCodeAt(max - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max);
}

export interface NormalEntry {
  unit: string;
  level: Level;
  message: string;
  fields: Record<string, string>;
}

/**
 * The entry as it will be stored.
 * @throws JournalEntryError when the unit, level, message or a field has the wrong type or shape
 */
export function normalizeEntry(input: EntryInput): NormalEntry {
  if (typeof input !== 'object' || input === null) throw new JournalEntryError('Cannot write journal entry: expected an object');
  const { unit, message } = input;
  if (typeof unit !== 'string' || !UNIT_PATTERN.test(unit)) {
    throw new JournalEntryError(`Cannot write journal entry for unit "${String(unit)}": a unit is 1 to 128 letters, digits or @._:-`);
  }
  const level = input.level ?? 'info';
  if (!isLevel(level)) {
    throw new JournalEntryError(`Cannot write journal entry for unit "${unit}": unknown level "${String(level)}"`);
  }
  if (typeof message !== 'string') throw new JournalEntryError(`Cannot write journal entry for unit "${unit}": the message is not a string`);
  const pairs: [string, string][] = [];
  let truncated = message.length > MAX_MESSAGE_CHARS;
  const given = input.fields ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new JournalEntryError(`Cannot write journal entry for unit "${unit}": fields must be an object of strings`);
  }
  const names = Object.keys(given);
  if (names.length > MAX_FIELDS) {
    throw new JournalEntryError(`Cannot write journal entry for unit "${unit}": ${names.length} fields, at most ${MAX_FIELDS}`);
  }
  for (const k of names) {
    const v = (given as Record<string, unknown>)[k];
    if (!FIELD_NAME.test(k)) throw new JournalEntryError(`Cannot write journal entry for unit "${unit}": bad field name "${k}"`);
    if (typeof v !== 'string') throw new JournalEntryError(`Cannot write journal entry for unit "${unit}": field "${k}" is not a string`);
    if (v.length > MAX_FIELD_CHARS) truncated = true;
    pairs.push([k, cut(v, MAX_FIELD_CHARS)]);
  }
  if (truncated) pairs.push(['truncated', 'true']);
  // fromEntries defines own properties, so a field named "__proto__" stays a field.
  return { unit, level, message: cut(message, MAX_MESSAGE_CHARS), fields: Object.fromEntries(pairs) };
}
