/** When a code's scans look like copies of it circulating, rather than one package changing hands. */
export interface CloningThresholds {
  /** More scans than this is suspicious: a genuine package is scanned a handful of times. */
  readonly maxScans: number;
  /** More distinct regions than this is suspicious. */
  readonly maxRegions: number;
  /** Scans in two different countries closer together than this are implausible travel. */
  readonly minHoursBetweenCountries: number;
}

export interface Scan {
  readonly at: Date;
  /** ISO 3166-1 alpha-2, optionally with a subdivision (CN-SH); empty when unknown. */
  readonly region: string;
}

export type CloningSignalKind = 'too-many-scans' | 'too-many-regions' | 'implausible-travel';

export interface CloningSignal {
  readonly kind: CloningSignalKind;
  readonly message: string;
}

const countryOf = (region: string) => region.slice(0, 2);

/**
 * The cloning signals a code's scans (oldest first) raise. Regions are coarse (no coordinates), so
 * travel is judged by country: the same code in two countries within a few hours means two
 * packages carry it. Unknown regions never count as travel.
 */
export function cloningSignals(scans: readonly Scan[], thresholds: CloningThresholds): CloningSignal[] {
  const signals: CloningSignal[] = [];
  if (scans.length > thresholds.maxScans) {
    signals.push({ kind: 'too-many-scans', message: `scanned ${scans.length} times (more than ${thresholds.maxScans})` });
  }
  const regions = [...new Set(scans.map((scan) => scan.region).filter((region) => region !== ''))];
  if (regions.length > thresholds.maxRegions) {
    signals.push({ kind: 'too-many-regions', message: `scanned in ${regions.length} regions (more than ${thresholds.maxRegions}): ${regions.join(', ')}` });
  }
  const located = scans.filter((scan) => scan.region !== '');
  for (let index = 1; index < located.length; index += 1) {
    const before = located[index - 1]!;
    const after = located[index]!;
    const hours = (after.at.getTime() - before.at.getTime()) / 3_600_000;
    if (countryOf(before.region) !== countryOf(after.region) && hours < thresholds.minHoursBetweenCountries) {
      signals.push({
        kind: 'implausible-travel',
        message: `scanned in ${before.region} and then in ${after.region} ${hours < 1 ? `${Math.round(hours * 60)} minutes` : `${hours.toFixed(1)} hours`} later`,
      });
      break;
    }
  }
  return signals;
}
