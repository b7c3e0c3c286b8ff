/** One update the sample catalogue offers to the machines of one OS family. */
export interface CatalogueUpdate {
  /** OS family (see os-profiles.ts) whose machines may need this update. */
  family: string;
  title: string;
  /** Windows: digits only; Linux: "". */
  kbid: string;
  updateId: string;
  product: string;
  productArch: string;
  productVersion: string;
  classification: string;
  msrcSeverity: string;
  optional: boolean;
  publishedNs: bigint;
  rebootBehavior: string;
  packageRepository: string;
  packageSeverity: string;
  cveNumbers: string;
  /** Share of the family's machines the update applies to. */
  share: number;
  /** Not yet approved on the WSUS servers, so WSUS-managed machines fail to install it. */
  wsusHeld: boolean;
  /** How long installing it takes during a deployment run. */
  installMinutes: number;
}

export const nsPerMinute = 60_000_000_000n;
export const nsPerDay = 1440n * nsPerMinute;

export function msToNs(ms: number): bigint {
  return BigInt(ms) * 1_000_000n;
}
