import { previewStack } from '../../../lib/abs/stack-preview';

const requirements = { vcpu_count: { min: 2, max: 4 }, memory_mib: { min: 4096, max: 16384 } };

function stack(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    provider: { aws: [{ region: 'us-east-1' }] },
    data: { aws_ssm_parameter: { ami_arm: { name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64' } } },
    resource: {
      aws_launch_template: {
        lt_x86: { tags: { 'multiregion:architecture': 'x86_64' }, '//': { metadata: { path: 's/web/lt-x86' } } },
        lt_arm: { image_id: '${data.aws_ssm_parameter.ami_arm.insecure_value}' },
        lt_unknown: { image_id: 'ami-123' },
      },
      ...extra,
    },
  };
}

describe('previewStack', () => {
  test('GIVEN an ASG with an override per architecture WHEN previewed THEN each override gets the types of its AMI architecture', () => {
    const previews = previewStack(
      stack({
        aws_autoscaling_group: {
          web: {
            '//': { metadata: { path: 's/web/asg' } },
            mixed_instances_policy: {
              instances_distribution: { on_demand_percentage_above_base_capacity: 0 },
              launch_template: {
                launch_template_specification: { launch_template_id: '${aws_launch_template.lt_x86.id}' },
                override: [
                  { instance_requirements: requirements },
                  { instance_requirements: requirements, launch_template_specification: { launch_template_id: '${aws_launch_template.lt_arm.id}' } },
                ],
              },
            },
          },
        },
      }),
    );
    expect(previews.map((p) => [p.resource, p.block, p.architectures, p.purchaseOption, p.path])).toEqual([
      ['aws_autoscaling_group.web', 'override[0]', ['x86_64'], 'spot', 's/web/asg'],
      ['aws_autoscaling_group.web', 'override[1]', ['arm64'], 'spot', 's/web/asg'],
    ]);
    expect(previews[0].types).toContain('m7i.large');
    expect(previews[0].types).not.toContain('m7g.large');
    expect(previews[1].types).toContain('m7g.large');
    expect(previews[1].types.every((t) => !t.startsWith('m7i.'))).toBe(true);
    expect(Object.keys(previews[0].families)).toContain('m7i');
  });

  test('GIVEN a fleet and a launch template guardrail with an unknown AMI WHEN previewed THEN both architectures are previewed and it says so', () => {
    const previews = previewStack(
      stack({
        aws_ec2_fleet: {
          batch: {
            target_capacity_specification: { default_target_capacity_type: 'on-demand' },
            launch_template_config: [
              {
                launch_template_specification: { launch_template_id: '${aws_launch_template.lt_unknown.id}' },
                override: [{ instance_requirements: requirements }],
              },
            ],
          },
        },
      }),
    );
    expect(previews).toHaveLength(1);
    expect(previews[0]).toMatchObject({
      resource: 'aws_ec2_fleet.batch',
      block: 'launch_template_config[0].override[0]',
      architectures: ['x86_64', 'arm64'],
      purchaseOption: 'on-demand',
      priceProtectionApplied: true,
    });
    expect(previews[0].notes).toContain('the AMI architecture is not known at synth time: both x86_64 and arm64 were previewed');
  });

  test('GIVEN a fleet with per-subnet overrides known only at plan time WHEN previewed THEN the dynamic block is previewed', () => {
    const previews = previewStack(
      stack({
        aws_ec2_fleet: {
          batch: {
            target_capacity_specification: { default_target_capacity_type: 'spot' },
            launch_template_config: [
              {
                launch_template_specification: { launch_template_id: '${aws_launch_template.lt_arm.id}' },
                dynamic: {
                  override: {
                    for_each: '${aws_subnet.private[*].id}',
                    iterator: 'subnet',
                    content: { subnet_id: '${subnet.value}', instance_requirements: requirements },
                  },
                },
              },
            ],
          },
        },
      }),
    );
    expect(previews.map((p) => [p.block, p.architectures, p.purchaseOption])).toEqual([['launch_template_config[0].dynamic.override', ['arm64'], 'spot']]);
    expect(previews[0].types).toContain('m7g.large');
  });

  test('GIVEN requirements that match few types WHEN previewed THEN a warning cites the advice of 10', () => {
    const narrow = { vcpu_count: { min: 2, max: 2 }, memory_mib: { min: 8192, max: 8192 }, allowed_instance_types: ['m7i.*'] };
    const [preview] = previewStack(stack({ aws_launch_template: { lt: { tags: { 'multiregion:architecture': 'x86_64' }, instance_requirements: narrow } } }));
    expect(preview.types).toEqual(['m7i.large']);
    expect(preview.warnings).toEqual([expect.stringMatching(/^only 1 instance type\(s\) match in us-east-1; AWS advises at least 10/)]);
  });

  test('GIVEN requirements that match nothing WHEN previewed THEN the warning says the group cannot launch', () => {
    const none = { vcpu_count: { min: 1000 }, memory_mib: { min: 1 } };
    const [preview] = previewStack(stack({ aws_launch_template: { lt: { instance_requirements: none } } }));
    expect(preview.count).toBe(0);
    expect(preview.warnings[0]).toContain('no instance type matches in us-east-1');
  });

  test('GIVEN a stack without ABS resources WHEN previewed THEN the result is empty', () => {
    expect(previewStack(stack({}))).toEqual([]);
  });
});
