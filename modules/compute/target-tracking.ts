import { Token } from 'cdktf';
import type { AutoscalingPolicyTargetTrackingConfiguration } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { errorFinding, type Finding } from './findings';

/**
 * The target-tracking scaling policy of a group: the group adds or removes instances to keep a
 * metric near a target, scaling early and in small steps (the scale-reliably article's advice).
 */
export class TargetTracking {
  /** Keep the group's average CPU utilisation near `percent`. */
  static cpuUtilization(percent: number): TargetTracking {
    return new TargetTracking('cpu', percent, 'ASGAverageCPUUtilization');
  }

  /**
   * Keep the requests per target of an ALB target group near `requests`.
   * @param resourceLabel `<load balancer arn suffix>/<target group arn suffix>`
   */
  static requestCountPerTarget(requests: number, resourceLabel: string): TargetTracking {
    return new TargetTracking('requests', requests, 'ALBRequestCountPerTarget', resourceLabel);
  }

  /** No scaling policy: the group stays at its desired capacity. */
  static none(): TargetTracking {
    return new TargetTracking('none', 0, '');
  }

  private constructor(
    /** What the policy tracks. */
    readonly kind: 'cpu' | 'requests' | 'none',
    /** The target value. */
    readonly target: number,
    private readonly metricType: string,
    private readonly resourceLabel?: string,
  ) {}

  findings(): Finding[] {
    if (this.kind === 'none' || Token.isUnresolved(this.target)) return [];
    if (this.kind === 'cpu' && !(this.target > 0 && this.target <= 100)) {
      return [
        errorFinding(
          `scaling: TargetTracking.cpuUtilization(${this.target}): expected a percentage above 0 and at most 100 (50-70 leaves headroom to scale early)`,
        ),
      ];
    }
    if (this.kind === 'requests' && !(this.target > 0)) {
      return [errorFinding(`scaling: TargetTracking.requestCountPerTarget(${this.target}): expected a positive number of requests per target`)];
    }
    return [];
  }

  /** The policy's `target_tracking_configuration`. */
  render(): AutoscalingPolicyTargetTrackingConfiguration {
    return {
      targetValue: this.target,
      predefinedMetricSpecification: {
        predefinedMetricType: this.metricType,
        ...(this.resourceLabel !== undefined ? { resourceLabel: this.resourceLabel } : {}),
      },
    };
  }
}
