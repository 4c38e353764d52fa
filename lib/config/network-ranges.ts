import { AWS_REGIONS } from '../regions';
import type { FieldPath } from './yaml-source';

/** An IPv4 block as numbers: the network address and the prefix length. */
interface Block {
  readonly address: number;
  readonly bits: number;
}

/** `10.16.0.0/12` → its block, or undefined when it is not a valid IPv4 CIDR (host bits set included). */
export function parseCidr(text: string): Block | undefined {
  const match = /^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\/([0-9]{1,2})$/.exec(text);
  if (match === null) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (address % 2 ** (32 - bits) !== 0) return undefined;
  return { address, bits };
}

function format(block: Block): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(block.address / 2 ** shift) % 256);
  return `${octets.join('.')}/${block.bits}`;
}

/** Every known region has a fixed slot, so adding or retiring a region never moves another's range. */
const REGION_SLOTS = Object.keys(AWS_REGIONS);
/** Slots a base range is split into: 64 (6 bits) holds every known region. */
export const REGION_SLOT_BITS = 6;

/**
 * The VPC range of `region` inside a base range: the base split into 64 equal blocks, the
 * region taking the block of its fixed position in the list of known regions (lib/regions.ts).
 * A /12 base gives /18 VPCs. The block is never smaller than /24 nor larger than /16 (what
 * RegionalNetwork accepts); the base must then be /10 to /18.
 */
export function allocateRange(baseRange: string, region: string): string {
  const base = parseCidr(baseRange);
  if (base === undefined) throw new Error(`'${baseRange}' is not a CIDR block (config validation should have caught this)`);
  const slot = REGION_SLOTS.indexOf(region);
  if (slot < 0) throw new Error(`unknown region ${region}`);
  const bits = base.bits + REGION_SLOT_BITS;
  return format({ address: base.address + slot * 2 ** (32 - bits), bits });
}

export function rangesOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (x === undefined || y === undefined) return false;
  const xEnd = x.address + 2 ** (32 - x.bits);
  const yEnd = y.address + 2 ** (32 - y.bits);
  return x.address < yEnd && y.address < xEnd;
}

/** Where a VPC range comes from. */
export type RangeOrigin = 'cidrs' | 'baseRange' | 'cidr' | 'default';

/** The VPC range of one (team, region) and the config field that decided it. */
export interface NetworkRange {
  readonly team: string;
  readonly region: string;
  readonly cidr: string;
  readonly origin: RangeOrigin;
  /** The field that set it (undefined for the default). */
  readonly at: FieldPath | undefined;
}

/** Network fields that decide ranges, of one layer (environment or team). */
export interface RawRangeLayer {
  cidr?: string;
  baseRange?: string;
  cidrs?: Record<string, string>;
}

export const DEFAULT_VPC_CIDR = '10.0.0.0/16';

/**
 * The range of a team's region: an explicit `cidrs` entry (team, then environment), else the
 * block of a `baseRange` (team, then environment), else the one `cidr` every region shares
 * (isolated VPCs that can never be peered), else the default.
 */
export function rangeFor(team: string, region: string, layers: readonly { at: FieldPath; raw: RawRangeLayer | undefined }[]): NetworkRange {
  for (const layer of layers) {
    const cidr = layer.raw?.cidrs?.[region];
    if (cidr !== undefined) return { team, region, cidr, origin: 'cidrs', at: [...layer.at, 'cidrs', region] };
  }
  for (const layer of layers) {
    const base = layer.raw?.baseRange;
    if (base !== undefined) return { team, region, cidr: allocateRange(base, region), origin: 'baseRange', at: [...layer.at, 'baseRange'] };
  }
  for (const layer of layers) {
    const cidr = layer.raw?.cidr;
    if (cidr !== undefined) return { team, region, cidr, origin: 'cidr', at: [...layer.at, 'cidr'] };
  }
  return { team, region, cidr: DEFAULT_VPC_CIDR, origin: 'default', at: undefined };
}

/**
 * Pairs of ranges of one environment that overlap. Only ranges allocated from a base range or
 * given per region take part: a single `cidr` shared by every region declares isolated VPCs.
 */
export function overlappingRanges(ranges: readonly NetworkRange[]): [NetworkRange, NetworkRange][] {
  const planned = ranges.filter((r) => r.origin === 'cidrs' || r.origin === 'baseRange');
  const pairs: [NetworkRange, NetworkRange][] = [];
  planned.forEach((a, i) => {
    for (const b of planned.slice(i + 1)) if (rangesOverlap(a.cidr, b.cidr)) pairs.push([a, b]);
  });
  return pairs;
}
