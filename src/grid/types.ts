/**
 * The contract between the grid's two halves: src/grid/trust decides who belongs (certificates, invitations,
 * revocations), src/grid/net moves bytes between peers on js-libp2p and asks the trust half before serving anyone.
 */

/** What a membership certificate lets its holder do on the grid. */
export type GridRight = 'member' | 'invite' | 'revoke';

/** A peer the admission policy let in, and until when. */
export interface Admitted {
  /** The peer's libp2p peer ID in its string form (12D3Koo…), which the certificate is bound to. */
  readonly peerId: string;
  /** The grid the certificate belongs to. */
  readonly gridId: string;
  /** When the certificate stops being valid (ms since the epoch); the network half drops the peer then. */
  readonly expiresAtMs: number;
  readonly rights: readonly GridRight[];
}

/** What the network half needs from admission; implemented by src/grid/trust. */
export interface AdmissionPolicy {
  /** This node's own credential (its certificate chain, encoded) to present on the admission protocol, if it has one. */
  credential(): Uint8Array | undefined;
  /**
   * Verifies a peer's credential, bound to the peer ID the authenticated (Noise) connection proved.
   * Throws a named error saying why the peer is refused (bad signature, expired, revoked, another grid, too big…).
   */
  admit(peerId: string, credential: Uint8Array, nowMs: number): Admitted;
  /** The revocation notices this node knows, encoded, for gossip to peers. */
  revocations(): readonly Uint8Array[];
  /**
   * Takes a revocation notice received from a peer: verifies it (signed by a holder of the `revoke` right of this
   * grid) and returns the revoked peer ID when the notice is new, undefined when already known. Throws on a bad one.
   */
  acceptRevocation(notice: Uint8Array, nowMs: number): string | undefined;
}
