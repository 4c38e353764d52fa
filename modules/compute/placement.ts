import { Token } from 'cdktf';
import { errorFinding, type Finding } from './findings';

/**
 * Where a group launches instances. AWS advises spreading over every availability zone of the
 * region: each zone has its own capacity pools, and the group rebalances across them.
 */
export class Placement {
  /** Subnets of a VPC, ideally one in every zone of the region (e.g. RegionalNetwork's private subnets). */
  static subnets(subnetIds: readonly string[]): Placement {
    return new Placement('subnets', subnetIds);
  }

  /** Availability zones of the default VPC (as in the seed article's examples). */
  static availabilityZones(zones: readonly string[]): Placement {
    return new Placement('zones', zones);
  }

  private constructor(
    /** Whether `ids` are subnet ids or zone names. */
    readonly kind: 'subnets' | 'zones',
    /** Subnet ids or zone names (may be a token list). */
    readonly ids: readonly string[],
  ) {}

  /** The group's `vpc_zone_identifier` or `availability_zones`. */
  render(): { vpcZoneIdentifier: string[] } | { availabilityZones: string[] } {
    return this.kind === 'subnets' ? { vpcZoneIdentifier: [...this.ids] } : { availabilityZones: [...this.ids] };
  }

  findings(): Finding[] {
    if (Token.isUnresolved(this.ids)) return [];
    const what = this.kind === 'subnets' ? 'Placement.subnets' : 'Placement.availabilityZones';
    if (this.ids.length === 0) return [errorFinding(`placement: ${what} is empty: give at least one, ideally one in every availability zone of the region`)];
    const seen = new Set<string>();
    for (const id of this.ids) {
      if (!Token.isUnresolved(id) && seen.has(id)) return [errorFinding(`placement: ${what} lists '${id}' twice: list each once`)];
      seen.add(id);
    }
    return [];
  }
}
