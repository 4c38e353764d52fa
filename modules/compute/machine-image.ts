import { Construct } from 'constructs';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';

/**
 * CPU architecture of an AMI. ABS never filters on architecture: an Auto Scaling group or fleet
 * only launches types compatible with the AMI of the launch template, so a multi-architecture
 * workload has one launch template per architecture.
 */
export type { CpuArchitecture } from '../../lib/compute-vocabulary';
import type { CpuArchitecture } from '../../lib/compute-vocabulary';

export const CPU_ARCHITECTURES: readonly CpuArchitecture[] = ['x86_64', 'arm64'];

/** Root device of Amazon Linux AMIs (and the default for images given by id). */
const AMAZON_LINUX_ROOT_DEVICE = '/dev/xvda';

export interface MachineImageOptions {
  /** Device name of the AMI's root volume, which the launch template encrypts. @default "/dev/xvda" */
  readonly rootDeviceName?: string;
}

/**
 * The AMI of one architecture: a fixed id, or an SSM parameter read at plan time (AWS publishes
 * the latest Amazon Linux AMIs as public parameters, so a region's own AMI id is found there).
 */
export class MachineImage {
  /** An AMI by id (may be a token). */
  static fromId(imageId: string, options: MachineImageOptions = {}): MachineImage {
    return new MachineImage({ imageId }, options.rootDeviceName ?? AMAZON_LINUX_ROOT_DEVICE);
  }

  /** The AMI id stored in an SSM parameter, e.g. a public `/aws/service/...` parameter. */
  static fromSsmParameter(parameterName: string, options: MachineImageOptions = {}): MachineImage {
    return new MachineImage({ parameterName }, options.rootDeviceName ?? AMAZON_LINUX_ROOT_DEVICE);
  }

  /** The latest Amazon Linux 2023 AMI of the region for an architecture. */
  static latestAmazonLinux2023(architecture: CpuArchitecture): MachineImage {
    return MachineImage.fromSsmParameter(`/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`);
  }

  private constructor(
    private readonly source: { readonly imageId?: string; readonly parameterName?: string },
    /** Device name of the root volume. */
    readonly rootDeviceName: string,
  ) {}

  /** The SSM parameter the id is read from, if any. */
  get parameterName(): string | undefined {
    return this.source.parameterName;
  }

  /** The AMI id, adding the SSM parameter data source under `scope` when the image needs one. */
  imageIdIn(scope: Construct, id: string): string {
    if (this.source.imageId !== undefined) return this.source.imageId;
    // insecure_value: an AMI id is no secret, and `value` would mark the whole template sensitive.
    return new DataAwsSsmParameter(scope, id, { name: this.source.parameterName! }).insecureValue;
  }
}
