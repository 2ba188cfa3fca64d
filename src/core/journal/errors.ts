// Named errors of the journal: callers test `err.name`, people read `err.message`.

/** Base of every error the journal throws on purpose. */
export class JournalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** `write` was given an entry it cannot store as asked (bad unit, level, field type). */
export class JournalEntryError extends JournalError {}
/** A query bound or option cannot be understood (`since: "yesterday-ish"`). */
export class JournalQueryError extends JournalError {}
/** Another live process holds the writer lock of the journal directory. */
export class JournalLockedError extends JournalError {}
/** The journal was closed; writes and follows end. */
export class JournalClosedError extends JournalError {}
/** A live follower fell too far behind the writer; resume with a query `afterSeq` the last entry seen. */
export class JournalFollowLaggedError extends JournalError {
  constructor(message: string, readonly lastSeq: number) {
    super(message);
  }
}
