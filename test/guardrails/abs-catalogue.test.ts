import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AbsAutoScalingGroup } from '../../modules/compute/abs-auto-scaling-group';
import { AbsEc2Fleet } from '../../modules/compute/abs-ec2-fleet';
import { InstanceRequirements, gib } from '../../modules/compute/instance-requirements';
import { MachineImage } from '../../modules/compute/machine-image';
import { Placement } from '../../modules/compute/placement';
import { ABS_MATCHES_ENOUGH_TYPES, ABS_MATCHES_SOME_TYPE } from '../../guardrails/rules/abs/catalogue-matches';
import type { TerraformJson } from '../../guardrails/terraform-json';
import { launchTemplate, synth } from '../modules/compute/helpers';
import { CONTEXT } from './fixtures';

const WIDE = InstanceRequirements.of({ vcpus: { min: 2, max: 4 }, memoryMib: { min: gib(4), max: gib(16) }, acceleratorCount: { max: 0 } });
const NARROW = InstanceRequirements.of({
  vcpus: { min: 2, max: 2 },
  memoryMib: { min: gib(8), max: gib(8) },
  allowedInstanceTypes: ['m7i.*', 'm7g.*'],
  acceleratorCount: { max: 0 },
});
const IMPOSSIBLE = InstanceRequirements.of({ vcpus: { min: 2, max: 2 }, memoryMib: { min: gib(900), max: gib(1000) }, acceleratorCount: { max: 0 } });

function group(region: string | undefined, requirements: InstanceRequirements, spotPercent = 50) {
  return synth((stack) => {
    if (region !== undefined) new AwsProvider(stack, 'aws', { region });
    new AbsAutoScalingGroup(stack, 'web', {
      launchTemplate: launchTemplate(stack, { images: { x86_64: MachineImage.fromId('ami-x'), arm64: MachineImage.fromId('ami-a') } }),
      placement: Placement.subnets(['subnet-a', 'subnet-b']),
      requirements,
      onDemandPercentageAboveBaseCapacity: 100 - spotPercent,
    });
  });
}

/** Both catalogue rules on the Terraform JSON the constructs render. */
function catalogue(json: TerraformJson): { errors: string[]; warnings: string[] } {
  return {
    errors: ABS_MATCHES_SOME_TYPE.check(json, CONTEXT).map((v) => v.message),
    warnings: ABS_MATCHES_ENOUGH_TYPES.check(json, CONTEXT).map((v) => v.message),
  };
}

describe('MR-ABS-8 and MR-ABS-9 on what the ABS constructs render, in the region of the provider', () => {
  test('GIVEN wide requirements WHEN rendered in us-east-1 THEN there is no finding', () => {
    expect(catalogue(group('us-east-1', WIDE).json)).toEqual({ errors: [], warnings: [] });
  });

  test('GIVEN requirements matching fewer than 10 types WHEN rendered THEN each architecture gets a warning', () => {
    expect(catalogue(group('us-east-1', NARROW).json).warnings).toEqual([
      expect.stringMatching(
        /^override\[0\] \(x86_64, spot\) matches only 1 instance type\(s\) in us-east-1 according to the offline catalogue of \d{4}-\d{2}-\d{2}; AWS advises at least 10$/,
      ),
      expect.stringMatching(/^override\[1\] \(arm64, spot\) matches only 1 instance type\(s\) in us-east-1/),
    ]);
  });

  test('GIVEN requirements matching nothing WHEN rendered THEN MR-ABS-8 names the region', () => {
    expect(catalogue(group('eu-central-1', IMPOSSIBLE).json).errors).toEqual([
      expect.stringMatching(/^override\[0\] \(x86_64, spot\) matches no instance type offered in eu-central-1/),
      expect.stringMatching(/^override\[1\] \(arm64, spot\) matches no instance type offered in eu-central-1/),
    ]);
  });

  test('GIVEN a stack without a literal provider region WHEN rendered THEN the rules do not apply', () => {
    expect(catalogue(group(undefined, IMPOSSIBLE).json)).toEqual({ errors: [], warnings: [] });
  });

  test('GIVEN a fleet (spot by default) matching nothing WHEN rendered THEN MR-ABS-8 reports it too', () => {
    const { json } = synth((stack) => {
      new AwsProvider(stack, 'aws', { region: 'us-east-1' });
      new AbsEc2Fleet(stack, 'batch', { launchTemplate: launchTemplate(stack), targetCapacity: { total: 2 }, requirements: IMPOSSIBLE });
    });
    expect(catalogue(json).errors).toEqual([expect.stringMatching(/\(x86_64, spot\) matches no instance type offered in us-east-1/)]);
  });
});
