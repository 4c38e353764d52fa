import { Token } from 'cdktf';
import type { Ec2FleetSpotOptionsMaintenanceStrategiesCapacityRebalance } from '@cdktf/provider-aws/lib/ec2-fleet';
import { errorFinding, type Finding } from './findings';

/** Lowest and highest termination delay AWS accepts for launch-before-terminate, in seconds. */
export const TERMINATION_DELAY_RANGE = { min: 120, max: 7200 } as const;

/**
 * What a `maintain` EC2 Fleet does when EC2 signals that a spot instance is at elevated risk of
 * interruption: launch a replacement, and optionally terminate the old instance after a delay.
 */
export class CapacityRebalance {
  /** Launch a replacement; the old instance keeps running until it is interrupted. */
  static launch(): CapacityRebalance {
    return new CapacityRebalance('launch');
  }

  /** Launch a replacement, then terminate the old instance after `terminationDelaySeconds` (120-7200). */
  static launchBeforeTerminate(terminationDelaySeconds: number): CapacityRebalance {
    return new CapacityRebalance('launch-before-terminate', terminationDelaySeconds);
  }

  private constructor(
    /** The fleet's replacement strategy. */
    readonly replacementStrategy: 'launch' | 'launch-before-terminate',
    /** Seconds before the old instance is terminated (launch-before-terminate only). */
    readonly terminationDelaySeconds?: number,
  ) {}

  findings(field: string): Finding[] {
    const delay = this.terminationDelaySeconds;
    if (delay === undefined || Token.isUnresolved(delay)) return [];
    if (!Number.isInteger(delay) || delay < TERMINATION_DELAY_RANGE.min || delay > TERMINATION_DELAY_RANGE.max) {
      return [
        errorFinding(
          `${field}: CapacityRebalance.launchBeforeTerminate(${delay}): the termination delay must be a whole number of seconds from ${TERMINATION_DELAY_RANGE.min} to ${TERMINATION_DELAY_RANGE.max}`,
        ),
      ];
    }
    return [];
  }

  render(): Ec2FleetSpotOptionsMaintenanceStrategiesCapacityRebalance {
    return {
      replacementStrategy: this.replacementStrategy,
      ...(this.terminationDelaySeconds !== undefined ? { terminationDelay: this.terminationDelaySeconds } : {}),
    };
  }
}
