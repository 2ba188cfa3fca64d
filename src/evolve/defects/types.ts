// What a seeded defect records: where, which operator(s), the mutated and the original text, and the
// change that seeds it with its unique fix (the original file), both as whole files.
import type { FileChange } from '../candidate.js';

export interface Mutation {
  operator: string;
  /** 1-based line in the original file. */
  line: number;
  /** The replaced text and what replaced it. */
  before: string;
  after: string;
}

export interface Defect {
  /** sha256 (16 hex) of the file and its mutated text. */
  id: string;
  /** first-order: one operator of MUTATION_OPERATORS; higher-order: 2-3 mutations, a deleted await, a wrong constant. */
  tier: 'first-order' | 'higher-order';
  file: string;
  /** src/<subsystem>/… (core/services, core/journal and core/api count as their own). */
  subsystem: string;
  /** The first mutation's operator and line ('+'-joined operators for several). */
  operator: string;
  line: number;
  mutations: Mutation[];
  /** The original line and the line as mutated (of the first mutation). */
  originalLine: string;
  mutatedLine: string;
  /** parent -> buggy: what a benchmark applies to seed the defect. */
  change: FileChange;
  /** buggy -> parent: the unique fix a repair is compared with. */
  fix: FileChange;
}
