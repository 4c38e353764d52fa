/**
 * The Terraform examples of the seed article "Implementing Attribute-Based Instance Type
 * Selection using Terraform" (../shared/seeds/abs-with-terraform.txt), rebuilt with the
 * constructs and compared field by field with the article's HCL.
 *
 * Each `ARTICLE_*` object is the article's HCL written as the JSON Terraform reads (snake_case,
 * blocks as objects). The comparison is `toMatchObject`: every field the article sets must be
 * synthesized with the same value; fields the constructs add on top (IMDSv2, encrypted root
 * volumes, the template's latest version, instance refresh, ...) are the best practices they
 * supply and are listed per example. References to resources the article does not show
 * (`aws_launch_template.x86.id`) are matched by pattern, since Terraform names differ.
 */
import { TerraformStack, Testing } from 'cdktf';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { AbsAutoScalingGroup } from '../../../modules/compute/abs-auto-scaling-group';
import { AbsEc2Fleet } from '../../../modules/compute/abs-ec2-fleet';
import { AbsLaunchTemplate } from '../../../modules/compute/abs-launch-template';
import { CapacityRebalance } from '../../../modules/compute/capacity-rebalance';
import { InstanceRequirements } from '../../../modules/compute/instance-requirements';
import { MachineImage } from '../../../modules/compute/machine-image';
import { Placement } from '../../../modules/compute/placement';
import { onlyResource, resources, warningsOf, type TerraformJson } from './helpers';

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const templateRef = (architecture: string, attribute: 'id' | 'latest_version') =>
  expect.stringMatching(new RegExp(`^\\$\\{aws_launch_template\\.\\w*${architecture}\\w*\\.${attribute}\\}$`));

function build(fn: (stack: TerraformStack) => void): { json: TerraformJson; warnings: string[] } {
  const stack = new TerraformStack(Testing.app(), 'article');
  fn(stack);
  return { json: JSON.parse(Testing.synth(stack)) as TerraformJson, warnings: warningsOf(stack) };
}

describe('seed article example 1: requirements as guardrails in the launch template, used by an On-Demand group', () => {
  // resource "aws_launch_template" "abs" (article)
  const ARTICLE_LAUNCH_TEMPLATE = {
    name_prefix: expect.stringMatching(/^abs/), // article: "abs"; one template per architecture appends "-x86_64-"
    image_id: '${data.aws_ami.abs.id}',
    instance_requirements: {
      memory_mib: { min: 8192 },
      vcpu_count: { min: 4 },
      instance_generations: ['current'],
    },
  };
  // resource "aws_autoscaling_group" "on_demand" (article)
  const ARTICLE_GROUP = {
    availability_zones: ZONES,
    max_size: 1,
    min_size: 1,
    mixed_instances_policy: {
      launch_template: {
        launch_template_specification: { launch_template_id: templateRef('x86_64', 'id') },
      },
    },
  };

  const rebuilt = build((stack) => {
    const ami = new DataAwsAmi(stack, 'abs', { mostRecent: true, owners: ['amazon'], filter: [{ name: 'name', values: ['al2023-ami-2023.*-x86_64'] }] });
    const template = new AbsLaunchTemplate(stack, 'template', {
      name: 'abs',
      images: { x86_64: MachineImage.fromId(ami.id) },
      requirements: InstanceRequirements.of({ memoryMib: { min: 8192 }, vcpus: { min: 4 }, instanceGenerations: ['current'] }),
    });
    new AbsAutoScalingGroup(stack, 'on_demand', { launchTemplate: template, placement: Placement.availabilityZones(ZONES), minCapacity: 1, maxCapacity: 1 });
  });

  test('the launch template matches the article field by field', () => {
    expect(onlyResource(rebuilt.json, 'aws_launch_template')).toMatchObject(ARTICLE_LAUNCH_TEMPLATE);
    // Added: IMDSv2 required, encrypted gp3 root volume, default version follows the latest.
    expect(onlyResource(rebuilt.json, 'aws_launch_template')).toMatchObject({ metadata_options: { http_tokens: 'required' }, update_default_version: true });
  });

  test('the group matches the article field by field and needs no override', () => {
    const group = onlyResource(rebuilt.json, 'aws_autoscaling_group');
    expect(group).toMatchObject(ARTICLE_GROUP);
    expect(group.mixed_instances_policy.launch_template.override).toBeUndefined();
    // Added: the template's latest version (so template changes roll out), instance refresh.
    expect(group.mixed_instances_policy.launch_template.launch_template_specification.version).toEqual(templateRef('x86_64', 'latest_version'));
    expect(group.instance_refresh.strategy).toBe('Rolling');
  });

  test("the constructs flag the article's unbounded requirements", () => {
    expect(rebuilt.warnings).toEqual([
      expect.stringMatching(/requirements\.vcpus has no max/),
      expect.stringMatching(/requirements\.memoryMib has no max/),
      expect.stringMatching(/accelerators are not excluded/),
    ]);
  });
});

describe('seed article example 2: a spot group with requirements in the override', () => {
  // resource "aws_autoscaling_group" "spot" (article)
  const ARTICLE_GROUP = {
    availability_zones: ZONES,
    desired_capacity: 1,
    max_size: 1,
    min_size: 1,
    capacity_rebalance: true,
    mixed_instances_policy: {
      instances_distribution: { spot_allocation_strategy: 'capacity-optimized' },
      launch_template: {
        launch_template_specification: { launch_template_id: templateRef('x86_64', 'id') },
        override: [
          {
            instance_requirements: {
              memory_mib: { min: 4096, max: 32768 },
              vcpu_count: { min: 2 },
              memory_gib_per_vcpu: { min: 4, max: 4 },
              accelerator_count: { max: 0 },
            },
          },
        ],
      },
    },
  };

  const rebuild = (onDemandPercentageAboveBaseCapacity?: number) =>
    build((stack) => {
      const template = new AbsLaunchTemplate(stack, 'x86', { name: 'x86', images: { x86_64: MachineImage.fromId('ami-x86') } });
      new AbsAutoScalingGroup(stack, 'spot', {
        launchTemplate: template,
        placement: Placement.availabilityZones(ZONES),
        desiredCapacity: 1,
        maxCapacity: 1,
        minCapacity: 1,
        capacityRebalance: true,
        spotAllocationStrategy: 'capacity-optimized',
        ...(onDemandPercentageAboveBaseCapacity !== undefined ? { onDemandPercentageAboveBaseCapacity } : {}),
        requirements: InstanceRequirements.of({
          memoryMib: { min: 4096, max: 32768 },
          vcpus: { min: 2 },
          memoryGibPerVcpu: { min: 4, max: 4 },
          acceleratorCount: { max: 0 },
        }),
      });
    });

  test('the group matches the article field by field', () => {
    const group = onlyResource(rebuild().json, 'aws_autoscaling_group');
    expect(group).toMatchObject(ARTICLE_GROUP);
    // Added: the termination drain hook that goes with capacity rebalance.
    expect(group.initial_lifecycle_hook[0].lifecycle_transition).toBe('autoscaling:EC2_INSTANCE_TERMINATING');
  });

  test('the constructs show that, as written, the group launches only On-Demand (the article wants only spot)', () => {
    const { json, warnings } = rebuild();
    // on_demand_percentage_above_base_capacity defaults to 100: the spot settings do nothing.
    expect(onlyResource(json, 'aws_autoscaling_group').mixed_instances_policy.instances_distribution.on_demand_percentage_above_base_capacity).toBe(100);
    expect(warnings).toEqual([
      expect.stringMatching(/requirements\.vcpus has no max/),
      expect.stringMatching(/^spotAllocationStrategy and capacityRebalance are set but onDemandPercentageAboveBaseCapacity is 100/),
    ]);
  });

  test('with onDemandPercentageAboveBaseCapacity 0 the same group is spot only and the warning goes', () => {
    const { json, warnings } = rebuild(0);
    expect(onlyResource(json, 'aws_autoscaling_group')).toMatchObject(ARTICLE_GROUP);
    expect(warnings).toEqual([expect.stringMatching(/requirements\.vcpus has no max/)]);
  });
});

describe('seed article example 3: a spot EC2 Fleet for a CPU-bound job with local SSD', () => {
  // resource "aws_ec2_fleet" "spot" (article)
  const ARTICLE_FLEET = {
    target_capacity_specification: { default_target_capacity_type: 'spot', total_target_capacity: 5 },
    spot_options: {
      allocation_strategy: 'capacity-optimized',
      maintenance_strategies: { capacity_rebalance: { replacement_strategy: 'launch' } },
    },
    launch_template_config: [
      {
        launch_template_specification: { launch_template_id: templateRef('x86_64', 'id'), version: templateRef('x86_64', 'latest_version') },
        override: [
          {
            instance_requirements: {
              memory_mib: { min: 65536, max: 73728 },
              vcpu_count: { min: 32, max: 36 },
              cpu_manufacturers: ['intel'],
              local_storage: 'required',
              local_storage_types: ['ssd'],
              total_local_storage_gb: { min: 100 },
            },
          },
        ],
      },
    ],
  };

  const rebuilt = build((stack) => {
    const template = new AbsLaunchTemplate(stack, 'x86', { name: 'x86', images: { x86_64: MachineImage.fromId('ami-x86') } });
    new AbsEc2Fleet(stack, 'spot', {
      launchTemplate: template,
      targetCapacity: { defaultType: 'spot', total: 5 },
      spot: { allocationStrategy: 'capacity-optimized', capacityRebalance: CapacityRebalance.launch() },
      requirements: InstanceRequirements.of({
        memoryMib: { min: 65536, max: 73728 },
        vcpus: { min: 32, max: 36 },
        cpuManufacturers: ['intel'],
        localStorage: 'required',
        localStorageTypes: ['ssd'],
        totalLocalStorageGb: { min: 100 },
      }),
    });
  });

  test('the fleet matches the article field by field', () => {
    const fleet = onlyResource(rebuilt.json, 'aws_ec2_fleet');
    expect(fleet).toMatchObject(ARTICLE_FLEET);
    // Added: the type stated (AWS default), unhealthy replacement, instances end with the fleet.
    expect(fleet).toMatchObject({ type: 'maintain', replace_unhealthy_instances: true, terminate_instances: true });
  });

  test('the constructs flag that accelerators are not excluded', () => {
    expect(rebuilt.warnings).toEqual([expect.stringMatching(/accelerators are not excluded/)]);
  });
});

describe('seed article example 4: Graviton and x86 in one group, On-Demand base and spot above it', () => {
  // resource "aws_autoscaling_group" "on_demand_spot" (article)
  const ARTICLE_GROUP = {
    availability_zones: ZONES,
    desired_capacity: 4,
    max_size: 10,
    min_size: 2,
    capacity_rebalance: true,
    mixed_instances_policy: {
      instances_distribution: { on_demand_base_capacity: 2, on_demand_percentage_above_base_capacity: 0, spot_allocation_strategy: 'capacity-optimized' },
      launch_template: {
        launch_template_specification: { launch_template_id: templateRef('arm64', 'id') },
        override: [
          {
            launch_template_specification: { launch_template_id: templateRef('arm64', 'id') },
            instance_requirements: { memory_mib: { min: 16384, max: 16384 }, vcpu_count: { max: 4 } },
          },
          {
            launch_template_specification: { launch_template_id: templateRef('x86_64', 'id') },
            instance_requirements: { memory_mib: { min: 16384 }, vcpu_count: { min: 4 } },
          },
        ],
      },
    },
  };

  const rebuilt = build((stack) => {
    const template = new AbsLaunchTemplate(stack, 'templates', {
      name: 'multi-arch',
      images: { arm64: MachineImage.fromId('ami-arm'), x86_64: MachineImage.fromId('ami-x86') },
    });
    new AbsAutoScalingGroup(stack, 'on_demand_spot', {
      launchTemplate: template,
      placement: Placement.availabilityZones(ZONES),
      desiredCapacity: 4,
      maxCapacity: 10,
      minCapacity: 2,
      capacityRebalance: true,
      onDemandBaseCapacity: 2,
      onDemandPercentageAboveBaseCapacity: 0,
      spotAllocationStrategy: 'capacity-optimized',
      requirementsByArchitecture: [
        // The article leaves the vCPU minimum out; ABS requires one and the provider sends 0 for
        // an absent min (which AWS treats as "no minimum"). 1 states the same intent.
        { architecture: 'arm64', requirements: InstanceRequirements.of({ memoryMib: { min: 16384, max: 16384 }, vcpus: { min: 1, max: 4 } }) },
        { architecture: 'x86_64', requirements: InstanceRequirements.of({ memoryMib: { min: 16384 }, vcpus: { min: 4 } }) },
      ],
    });
  });

  test('the group matches the article field by field', () => {
    const group = onlyResource(rebuilt.json, 'aws_autoscaling_group');
    expect(group).toMatchObject(ARTICLE_GROUP);
    // The one deliberate difference: a stated vCPU minimum for the Graviton set.
    expect(group.mixed_instances_policy.launch_template.override[0].instance_requirements.vcpu_count).toEqual({ min: 1, max: 4 });
    // Added: a CPU target-tracking policy (min < max) that then owns the desired capacity.
    expect(group.lifecycle).toEqual({ ignore_changes: ['desired_capacity'] });
    expect(Object.keys(resources(rebuilt.json, 'aws_autoscaling_policy'))).toHaveLength(1);
  });

  test('each architecture has its own launch template and AMI', () => {
    const templates = Object.values(resources(rebuilt.json, 'aws_launch_template')) as { image_id: string }[];
    expect(templates.map((t) => t.image_id)).toEqual(['ami-arm', 'ami-x86']);
  });
});
