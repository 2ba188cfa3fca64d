// What the self-improvement loop judges: a change to a parent tree, as whole files (never a diff to re-apply),
// so that the gates read exactly the bytes the sandbox will run.

/** One file of a candidate: its new text, or null when the candidate deletes it. */
export interface FileChange {
  /** Path relative to the tree's root, with forward slashes. */
  path: string;
  /** The parent's text, or null when the candidate adds the file. */
  before: string | null;
  after: string | null;
}

export interface Candidate {
  /** Content address of the change (sha256 over the sorted changes); the archive's key. */
  id: string;
  changes: FileChange[];
}

/** Why a gate refused a candidate: a stable rule name, the file (and line when known), and what was seen. */
export interface Violation {
  rule: string;
  path: string;
  line?: number;
  detail: string;
  /** True when the owner's approval can lift it (protected paths); false when nothing can. */
  approvable: boolean;
}
