import { compareNames } from './catalogue-format';
import type { InstanceTypeInfo } from './instance-type-info';

/** Which pool of matching types the reference price came from, in AWS's order of preference. */
export type ReferenceBasis = 'current-generation C, M or R' | 'current-generation' | 'previous-generation';

export interface PriceReference {
  readonly instanceType: string;
  readonly price: number;
  readonly basis: ReferenceBasis;
}

export interface PriceProtectionOutcome {
  /** False when the reference price could not be identified (no prices for the region or the matches). */
  readonly applied: boolean;
  readonly kept: readonly InstanceTypeInfo[];
  readonly reference?: PriceReference;
  /** Prices above this (USD per hour) are excluded. */
  readonly thresholdUsdPerHour?: number;
  readonly notes: readonly string[];
}

/** Families whose current generation AWS prefers as the price reference: c5, m7i-flex, r8g... (not mac). */
const CMR_FAMILY = /^[cmr][0-9]/;

/**
 * The identified On-Demand price, as AWS documents it: the lowest-priced current-generation C, M or
 * R type among the matching types; failing that the lowest-priced current-generation type; failing
 * that the lowest-priced previous-generation type. Ties go to the first name. Types without a price
 * in the region take no part.
 */
export function priceProtectionReference(candidates: readonly InstanceTypeInfo[], region: string): PriceReference | undefined {
  const priced = candidates.filter((t) => t.onDemandPrices[region] !== undefined);
  const pools: [ReferenceBasis, InstanceTypeInfo[]][] = [
    ['current-generation C, M or R', priced.filter((t) => t.currentGeneration && CMR_FAMILY.test(t.family))],
    ['current-generation', priced.filter((t) => t.currentGeneration)],
    ['previous-generation', priced.filter((t) => !t.currentGeneration)],
  ];
  for (const [basis, pool] of pools) {
    const cheapest = [...pool].sort((a, b) => a.onDemandPrices[region] - b.onDemandPrices[region] || compareNames(a.name, b.name))[0];
    if (cheapest !== undefined) return { instanceType: cheapest.name, price: cheapest.onDemandPrices[region], basis };
  }
  return undefined;
}

/**
 * On-Demand price protection: drops matching types whose On-Demand price in `region` is more than
 * `percent` above the identified price (per instance, i.e. the capacity unit is instances). A
 * matching type with no known price is kept and reported: dropping it would hide a type AWS may
 * well launch.
 */
export function applyOnDemandPriceProtection(candidates: readonly InstanceTypeInfo[], region: string, percent: number): PriceProtectionOutcome {
  const reference = priceProtectionReference(candidates, region);
  if (reference === undefined) {
    return {
      applied: false,
      kept: candidates,
      notes: candidates.length === 0 ? [] : [`none of the matching types has an On-Demand price for ${region} in the catalogue: price protection not applied`],
    };
  }
  const threshold = reference.price * (1 + percent / 100);
  // A relative tolerance keeps a type priced exactly at the threshold despite binary rounding.
  const limit = threshold * (1 + 1e-9);
  const kept: InstanceTypeInfo[] = [];
  const dropped: string[] = [];
  const unpriced: string[] = [];
  for (const t of candidates) {
    const price = t.onDemandPrices[region];
    if (price === undefined) unpriced.push(t.name);
    if (price === undefined || price <= limit) kept.push(t);
    else dropped.push(t.name);
  }
  const notes = [
    `On-Demand price protection ${percent}% in ${region}: reference ${reference.instanceType} at $${reference.price}/h (cheapest matching ${reference.basis} type), limit $${round(threshold)}/h, ${dropped.length} type(s) excluded${dropped.length > 0 ? ` (${preview(dropped)})` : ''}`,
  ];
  if (unpriced.length > 0)
    notes.push(`${unpriced.length} matching type(s) have no On-Demand price for ${region} in the catalogue and were kept unchecked (${preview(unpriced)})`);
  return { applied: true, kept, reference, thresholdUsdPerHour: threshold, notes };
}

function round(usd: number): number {
  return Math.round(usd * 10_000) / 10_000;
}

function preview(names: readonly string[]): string {
  const sorted = [...names].sort(compareNames);
  return sorted.length <= 5 ? sorted.join(', ') : `${sorted.slice(0, 5).join(', ')} and ${sorted.length - 5} more`;
}
