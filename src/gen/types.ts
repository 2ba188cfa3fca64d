// The data model of generations and the generation store: the contract shared by the boot stage,
// the image builder, the CLI and dialogosd. Changing a shape here is a format change: bump `schema`.

/** One file of a generation tree, as listed (sorted by path) in its manifest. */
export interface ManifestFile {
  /** POSIX path relative to the tree root, no `..`, no leading `/`. */
  path: string;
  sha256: string;
  size: number;
  /** Permission bits only (0o644, 0o755). */
  mode: number;
}

/** A health check a generation declares; dialogosd runs them after boot to bless or mark bad. */
export type HealthCheck =
  | { name: string; kind: 'command'; argv: string[]; timeoutSeconds: number }
  | { name: string; kind: 'file'; path: string; timeoutSeconds: number };

/** How the boot stage hands over to the generation. */
export interface ManifestEntry {
  /** Tree-relative path of the program PID 1 supervises after switch_root (run with the base Node). */
  main: string;
  args: string[];
}

/** Present when the generation carries its own kernel: the boot stage kexecs it. */
export interface ManifestKernel {
  image: string;
  initrd: string | null;
  cmdline: string;
}

export interface Provenance {
  builder: string;
  sourceDigest: string;
  toolchain: Record<string, string>;
  command: string;
}

/** The signed description of a generation. Stored as canonical JSON (sorted keys, no spaces). */
export interface Manifest {
  schema: 1;
  version: number;
  parent: string | null;
  /** Blessing this generation raises the store's anti-rollback floor to this value. */
  rollbackFloor: number;
  created: string;
  provenance: Provenance;
  entry: ManifestEntry;
  kernel: ManifestKernel | null;
  health: { windowSeconds: number; checks: HealthCheck[] };
  files: ManifestFile[];
}

/** `manifest.sig` beside `manifest.json`: an Ed25519 signature over the exact manifest bytes. */
export interface ManifestSignature {
  alg: 'ed25519';
  keyId: string;
  sig: string;
}

export type GenerationStatus = 'staged' | 'good' | 'bad';

export interface GenerationRecord {
  version: number;
  status: GenerationStatus;
  /** Boots left before a staged generation counts as failed. */
  triesLeft: number;
  priority: number;
  pinned: boolean;
  recovery: boolean;
  addedAt: string;
  blessedAt: string | null;
  badReason: string | null;
}

export type BootReason = 'default' | 'oneshot' | 'menu' | 'fallback' | 'recovery' | 'kexec';

export interface BootRecord {
  id: string;
  at: string;
  reason: BootReason;
  /** Which try of a staged generation this was (1-based); 0 for a good generation. */
  attempt: number;
  fallbackFrom: string | null;
  fallbackReason: string | null;
}

/** `state.json` of the store; written with write-tmp, fsync, rename, fsync-dir. */
export interface StoreState {
  schema: 1;
  generations: Record<string, GenerationRecord>;
  /** The persistent choice: set by stage, switch, rollback. */
  default: string | null;
  /** Boot this once, then go back to `default` (menu pick, `gen switch --once`). */
  oneShot: string | null;
  floor: number;
  lastGood: string | null;
  /** The try recorded before the last jump; cleared by bless or bad. */
  trial: { id: string; startedAt: string } | null;
  booted: BootRecord | null;
  history: BootRecord[];
}
