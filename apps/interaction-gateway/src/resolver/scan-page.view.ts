/** Everything the scan page shows for one genuine code; the HTML and the JSON are both made from it. */
export interface ProofView {
  readonly leaf_index: number;
  readonly tree_size: number;
  readonly leaf_hash: string;
  readonly inclusion_path: string[];
  readonly root_hash: string;
  readonly status: string;
  readonly anchor: { readonly chain_id: number; readonly contract: string; readonly tx_hash: string; readonly block_number: number } | null;
}

/** One anchorable record shown on the page, as BRIEF §4 pins it; `proof` is null while pending. */
export interface ShownRecord {
  readonly type: string;
  readonly record_key: string;
  readonly record: Record<string, unknown>;
  readonly proof: ProofView | null;
  /** Whether the record shown hashes to its proof's leaf, which leads to the anchored root (record-integrity.ts). */
  readonly integrity: 'verified' | 'mismatch' | 'pending';
}

export interface CertificationView {
  readonly type: string;
  readonly issuer: string;
  readonly number: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly status: 'valid' | 'expired' | 'notYetValid';
}

export interface TimelineEntry {
  readonly eventId: string;
  readonly eventType: string;
  readonly eventTime: string;
  readonly bizStep: string | null;
  readonly disposition: string | null;
  readonly location: string | null;
  readonly recordKey: string;
}

export interface ScanSummaryView {
  readonly scans: number;
  readonly firstScanAt: string | null;
  readonly regions: string[];
  readonly signals: { readonly kind: string; readonly message: string }[];
}

/** A recall that reached the item, or an open hold on its lot (product control), with its anchored record's key. */
export interface ControlFlagView {
  readonly kind: 'recall' | 'hold';
  readonly id: string;
  /** recall, inspection-failed, certification-expired or certification-revoked. */
  readonly cause: string;
  readonly reason: string;
  readonly since: string;
  readonly record_key: string;
}

export interface ScanPageView {
  readonly code: {
    readonly gtin: string;
    readonly serial: string;
    readonly lot: string | null;
    readonly expiry: string | null;
    readonly digitalLink: string;
    /** RFC 9162 inclusion of leafHash({gtin, serial}) in the tree whose root the anchored issuance record holds. */
    readonly issuance_proof: { readonly leaf_index: number; readonly tree_size: number; readonly inclusion_path: string[]; readonly serials_root: string };
  };
  readonly product: { readonly name: string; readonly gtin: string; readonly category: string; readonly originCountry: string; readonly hsCode: string };
  readonly brand: { readonly name: string } | null;
  readonly merchant: { readonly legalName: string; readonly country: string } | null;
  readonly factory: { readonly name: string; readonly country: string; readonly address: string; readonly certifications: CertificationView[] } | null;
  readonly lot: { readonly lotNumber: string; readonly productionDate: string; readonly expiryDate: string; readonly quantity: number };
  readonly customs: { readonly direction: string; readonly declarationNumber: string; readonly port: string; readonly date: string; readonly status: string; readonly quarantineCertificateNumber: string | null }[];
  readonly inspection: {
    readonly outcome: string;
    readonly initialOutcome: string;
    readonly decidedAt: string;
    readonly reason: string;
    readonly plan: { readonly sampleSize: number; readonly ac: number; readonly re: number; readonly level: string; readonly aql: number; readonly severity: string; readonly inspectAll: boolean } | null;
    readonly agency: string | null;
    readonly result: { readonly verdict: string; readonly reason: string; readonly inspector: string; readonly recordedAt: string } | null;
  } | null;
  readonly timeline: TimelineEntry[];
  readonly scans: ScanSummaryView;
  readonly records: ShownRecord[];
  /** Recalls and holds on this item; empty when none (absent from views made before product control). */
  readonly control?: { readonly flags: ControlFlagView[] } | undefined;
}
