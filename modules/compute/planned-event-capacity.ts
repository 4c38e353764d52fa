import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Ec2CapacityReservation } from '@cdktf/provider-aws/lib/ec2-capacity-reservation';
import { errorFinding, reportFindings, warningFinding, type Finding } from './findings';

export type InstancePlatform = 'Linux/UNIX' | 'Red Hat Enterprise Linux' | 'SUSE Linux' | 'Windows' | 'Ubuntu Pro';
/** `open`: any matching instance uses the reservation (an ABS group does so by itself); `targeted`: only instances that name it. */
export type InstanceMatchCriteria = 'open' | 'targeted';

export interface PlannedEventCapacityProps {
  /** Name of the event, used in the reservations' Name tags. */
  readonly event: string;
  /** When the reservations end by themselves: an RFC 3339 UTC time, e.g. "2026-05-31T00:00:00Z". */
  readonly endDate: string;
  /** Instance types to reserve (exact types, no globs), ideally ones the workload's requirements match. */
  readonly instanceTypes: readonly string[];
  /** Availability zones to reserve in, ideally every zone the workload runs in. */
  readonly availabilityZones: readonly string[];
  /** Instances reserved per instance type and zone. */
  readonly instancesPerPool: number;
  /** Platform of the instances. @default "Linux/UNIX" */
  readonly platform?: InstancePlatform;
  /** Which instances may use the reservations. @default "open" */
  readonly matchCriteria?: InstanceMatchCriteria;
  /** Tags of the reservations. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const ZONE_PATTERN = /^[a-z]{2}(-[a-z]+)+-[0-9]+[a-z]$/;
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * On-Demand Capacity Reservations for a planned event (the scale-reliably article): headroom for
 * a list of instance types in a list of zones, ending on a date so nobody has to remember to
 * release it. Open reservations are used by any matching instance, so an ABS group that may
 * launch these types consumes them without further wiring. Reservations are billed whether used
 * or not: reserve only for the event.
 */
export class PlannedEventCapacity extends Construct {
  /** Ids of the reservations, one per (instance type, zone). */
  readonly reservationIds: readonly string[];
  /** How many instances are reserved in total. */
  readonly reservedInstances: number;

  constructor(scope: Construct, id: string, props: PlannedEventCapacityProps) {
    super(scope, id);
    const platform = props.platform ?? 'Linux/UNIX';
    const matchCriteria = props.matchCriteria ?? 'open';
    reportFindings(this, plannedEventFindings(props, matchCriteria, Date.now()));

    const ids: string[] = [];
    for (const instanceType of props.instanceTypes) {
      props.availabilityZones.forEach((zone, zoneIndex) => {
        // Zone tokens have no readable name: number them instead.
        const zoneKey = Token.isUnresolved(zone) ? `zone${zoneIndex}` : zone;
        const reservation = new Ec2CapacityReservation(this, `${instanceType}-${zoneKey}`, {
          instanceType,
          availabilityZone: zone,
          instanceCount: props.instancesPerPool,
          instancePlatform: platform,
          instanceMatchCriteria: matchCriteria,
          endDateType: 'limited',
          endDate: props.endDate,
          tags: { ...(props.tags ?? {}), Name: `${props.event}-${instanceType}-${zoneKey}`, Event: props.event },
        });
        ids.push(reservation.id);
      });
    }
    this.reservationIds = ids;
    this.reservedInstances = props.instanceTypes.length * props.availabilityZones.length * props.instancesPerPool;
  }
}

function listFindings(field: string, values: readonly string[], pattern: RegExp, expected: string): Finding[] {
  if (Token.isUnresolved(values))
    return [errorFinding(`${field} is a token list: reservations are one resource per entry, so list the entries (each may be a token)`)];
  const out: Finding[] = [];
  if (values.length === 0) out.push(errorFinding(`${field} is empty: list at least one`));
  const seen = new Set<string>();
  for (const value of values) {
    if (Token.isUnresolved(value)) continue;
    if (!pattern.test(value)) out.push(errorFinding(`${field}: '${value}' is not ${expected}`));
    if (seen.has(value)) out.push(errorFinding(`${field} lists '${value}' twice: list each once`));
    seen.add(value);
  }
  return out;
}

function plannedEventFindings(props: PlannedEventCapacityProps, matchCriteria: InstanceMatchCriteria, now: number): Finding[] {
  const out: Finding[] = [];
  out.push(
    ...listFindings('instanceTypes', props.instanceTypes, INSTANCE_TYPE_PATTERN, "an exact instance type such as 'm7i.xlarge' (reservations take no globs)"),
  );
  out.push(...listFindings('availabilityZones', props.availabilityZones, ZONE_PATTERN, "an availability zone such as 'us-east-1a'"));
  const count = props.instancesPerPool;
  if (!Token.isUnresolved(count) && (!Number.isInteger(count) || count < 1)) {
    out.push(errorFinding(`instancesPerPool is ${count}: expected a whole number from 1 up`));
  }
  if (!Token.isUnresolved(props.endDate)) {
    const end = Date.parse(props.endDate);
    if (!RFC3339_UTC.test(props.endDate) || Number.isNaN(end)) {
      out.push(errorFinding(`endDate '${props.endDate}' is not an RFC 3339 UTC time: expected e.g. '2026-05-31T00:00:00Z'`));
    } else if (end <= now) {
      out.push(
        warningFinding(
          'MR-ABS-10',
          `endDate ${props.endDate} has passed: the reservations have ended and AWS refuses to create them again; remove this PlannedEventCapacity`,
        ),
      );
    }
  }
  if (matchCriteria === 'targeted') {
    out.push(
      warningFinding(
        'MR-ABS-11',
        "matchCriteria is 'targeted': only instances that name a reservation use it, and Auto Scaling groups and fleets here do not; use 'open' unless something targets them",
      ),
    );
  }
  return out;
}
