import { resourcesOf, type ResourceBlock, type TerraformJson } from '../../terraform-json';

/**
 * The zone layout of a RegionalNetwork-style VPC as the JSON states it: subnets counted over the
 * region's zones (`min(length(<zones>), N)`), NAT gateways counted the same way (one per zone)
 * or not counted (one for the VPC).
 */
export interface NetworkShape {
  readonly nat: ResourceBlock;
  /** Whether there are as many NAT gateways as zones. */
  readonly perZone: boolean;
  /** The most zones the subnets use, when the JSON says. */
  readonly maxZones?: number;
}

export function networkShapes(json: TerraformJson): NetworkShape[] {
  const subnetCounts = resourcesOf(json, 'aws_subnet')
    .map((s) => s.body.count)
    .filter((c) => c !== undefined);
  return resourcesOf(json, 'aws_nat_gateway').map((nat) => {
    const count = nat.body.count;
    const perZone = count !== undefined && subnetCounts.some((c) => JSON.stringify(c) === JSON.stringify(count));
    return { nat, perZone, maxZones: maxZonesOf(subnetCounts) };
  });
}

function maxZonesOf(counts: readonly unknown[]): number | undefined {
  const values = counts.map((c) =>
    typeof c === 'number' ? c : typeof c === 'string' ? Number(/min\(length\([^)]*\),\s*(\d+)\)/.exec(c)?.[1] ?? Number.NaN) : Number.NaN,
  );
  const known = values.filter((v) => !Number.isNaN(v));
  return known.length === 0 ? undefined : Math.max(...known);
}
