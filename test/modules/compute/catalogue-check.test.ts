import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AbsAutoScalingGroup } from '../../../modules/compute/abs-auto-scaling-group';
import { AbsEc2Fleet } from '../../../modules/compute/abs-ec2-fleet';
import { InstanceRequirements, gib } from '../../../modules/compute/instance-requirements';
import { MachineImage } from '../../../modules/compute/machine-image';
import { Placement } from '../../../modules/compute/placement';
import { launchTemplate, synth } from './helpers';

const WIDE = InstanceRequirements.of({ vcpus: { min: 2, max: 4 }, memoryMib: { min: gib(4), max: gib(16) }, acceleratorCount: { max: 0 } });
const NARROW = InstanceRequirements.of({ vcpus: { min: 2, max: 2 }, memoryMib: { min: gib(8), max: gib(8) }, allowedInstanceTypes: ['m7i.*', 'm7g.*'], acceleratorCount: { max: 0 } });
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

const catalogueWarnings = (warnings: string[]) => warnings.filter((w) => w.includes('offline catalogue'));

describe('synth checks requirements against the offline catalogue for the stack region', () => {
  test('GIVEN wide requirements WHEN synthesized in us-east-1 THEN there is no catalogue warning', () => {
    expect(catalogueWarnings(group('us-east-1', WIDE).warnings)).toEqual([]);
  });

  test('GIVEN requirements matching fewer than 10 types WHEN synthesized THEN each architecture gets a warning', () => {
    const warnings = catalogueWarnings(group('us-east-1', NARROW).warnings);
    expect(warnings).toEqual([
      expect.stringMatching(/^requirements \(x86_64, spot\) match only 1 instance type\(s\) in us-east-1 according to the offline catalogue of \d{4}-\d{2}-\d{2}; AWS advises at least 10/),
      expect.stringMatching(/^requirements \(arm64, spot\) match only 1 instance type\(s\) in us-east-1/),
    ]);
  });

  test('GIVEN requirements matching nothing WHEN synthesized THEN synth fails naming the region', () => {
    expect(() => group('eu-central-1', IMPOSSIBLE)).toThrow(/requirements \(x86_64, spot\) match no instance type offered in eu-central-1 .*the group could never launch/);
  });

  test('GIVEN a stack without a literal provider region WHEN synthesized THEN the check is skipped', () => {
    expect(() => group(undefined, IMPOSSIBLE)).not.toThrow();
  });

  test('GIVEN a fleet (spot by default) matching nothing WHEN synthesized THEN synth fails too', () => {
    expect(() =>
      synth((stack) => {
        new AwsProvider(stack, 'aws', { region: 'us-east-1' });
        new AbsEc2Fleet(stack, 'batch', { launchTemplate: launchTemplate(stack), targetCapacity: { total: 2 }, requirements: IMPOSSIBLE });
      }),
    ).toThrow(/requirements \(x86_64, spot\) match no instance type offered in us-east-1/);
  });
});
