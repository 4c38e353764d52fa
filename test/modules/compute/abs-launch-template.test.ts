import { LAUNCH_TEMPLATE_HOP_LIMIT } from '../../../guardrails/rules/security/launch-template-hop-limit';
import { CONTEXT } from '../../guardrails/fixtures';
import { Fn } from 'cdktf';
import { AbsLaunchTemplate } from '../../../modules/compute/abs-launch-template';
import { InstanceRequirements, gib } from '../../../modules/compute/instance-requirements';
import { MachineImage } from '../../../modules/compute/machine-image';
import { launchTemplate, onlyResource, resources, synth } from './helpers';

const BOUNDED = InstanceRequirements.of({ vcpus: { min: 2, max: 8 }, memoryMib: { min: gib(4), max: gib(16) }, acceleratorCount: { max: 0 } });

describe('AbsLaunchTemplate', () => {
  test('GIVEN defaults WHEN synthesized THEN the template has no instance type, requires IMDSv2 with hop limit 1 and an encrypted gp3 root volume', () => {
    const { json, warnings } = synth((stack) => launchTemplate(stack));
    const template = onlyResource(json, 'aws_launch_template');
    expect(template).toEqual({
      name_prefix: 'web-x86_64-',
      description: 'ABS launch template (x86_64), managed by multiregion',
      image_id: 'ami-0x86',
      update_default_version: true,
      tags: { 'multiregion:architecture': 'x86_64' },
      metadata_options: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 },
      block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } }],
    });
    expect(template.instance_type).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  test('GIVEN containers WHEN synthesized THEN the IMDSv2 hop limit is 2, declared to guardrail MR-EC2-2 by a tag', () => {
    const { json } = synth((stack) => launchTemplate(stack, { containers: true }));
    const template = onlyResource(json, 'aws_launch_template');
    expect(template.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 2 });
    expect(template.tags['multiregion:containers']).toBe('true');
    expect(LAUNCH_TEMPLATE_HOP_LIMIT.check(json, CONTEXT)).toEqual([]);
    expect(onlyResource(synth((stack) => launchTemplate(stack)).json, 'aws_launch_template').tags['multiregion:containers']).toBeUndefined();
  });

  test('GIVEN an instance profile, security groups and user data WHEN synthesized THEN they are set and the user data is base64-encoded', () => {
    const { json } = synth((stack) =>
      launchTemplate(stack, { instanceProfileName: 'app-profile', securityGroupIds: ['sg-1', 'sg-2'], userData: '#!/bin/bash\necho hi\n' }),
    );
    const template = onlyResource(json, 'aws_launch_template');
    expect(template.iam_instance_profile).toEqual({ name: 'app-profile' });
    expect(template.vpc_security_group_ids).toEqual(['sg-1', 'sg-2']);
    expect(Buffer.from(template.user_data, 'base64').toString('utf8')).toBe('#!/bin/bash\necho hi\n');
  });

  test('GIVEN user data that is a Terraform expression WHEN synthesized THEN Terraform encodes it', () => {
    const { json } = synth((stack) => launchTemplate(stack, { userData: Fn.join('\n', ['a', 'b']) }));
    expect(onlyResource(json, 'aws_launch_template').user_data).toBe('${base64encode(join("\\n", ["a", "b"]))}');
  });

  test('GIVEN a root volume size and key WHEN synthesized THEN the root volume uses them', () => {
    const { json } = synth((stack) => launchTemplate(stack, { rootVolumeSizeGib: 30, rootVolumeKmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k' }));
    expect(onlyResource(json, 'aws_launch_template').block_device_mappings[0].ebs).toEqual({
      volume_type: 'gp3',
      encrypted: 'true',
      delete_on_termination: 'true',
      volume_size: 30,
      kms_key_id: 'arn:aws:kms:us-east-1:111122223333:key/k',
    });
  });

  test('GIVEN tags WHEN synthesized THEN instances and volumes are tagged at launch', () => {
    const { json } = synth((stack) => launchTemplate(stack, { tags: { Team: 'research' } }));
    expect(onlyResource(json, 'aws_launch_template').tag_specifications).toEqual([
      { resource_type: 'instance', tags: { Team: 'research' } },
      { resource_type: 'volume', tags: { Team: 'research' } },
    ]);
  });

  test('GIVEN two architectures from SSM public parameters WHEN synthesized THEN there is one template per architecture, each with its own AMI', () => {
    let lt: AbsLaunchTemplate | undefined;
    const { json } = synth((stack) => {
      lt = launchTemplate(stack, {
        images: { arm64: MachineImage.latestAmazonLinux2023('arm64'), x86_64: MachineImage.latestAmazonLinux2023('x86_64') },
      });
    });
    const parameters = Object.values(json.data.aws_ssm_parameter).map((p) => (p as { name: string }).name);
    expect(parameters).toEqual([
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    ]);
    const templates = Object.values(resources(json, 'aws_launch_template')) as { name_prefix: string; image_id: string }[];
    expect(templates.map((t) => t.name_prefix)).toEqual(['web-arm64-', 'web-x86_64-']);
    for (const t of templates) expect(t.image_id).toMatch(/^\$\{data\.aws_ssm_parameter\..+\.insecure_value\}$/);
    // The offline ABS preview reads the architecture from this tag.
    expect(Object.values(resources(json, 'aws_launch_template')).map((t) => t.tags)).toEqual([
      { 'multiregion:architecture': 'arm64' },
      { 'multiregion:architecture': 'x86_64' },
    ]);
    expect(lt!.architectures).toEqual(['arm64', 'x86_64']);
    expect(lt!.templateFor('x86_64').latestVersion).toMatch(/TfToken/);
    expect(() => launchTemplate(lt!.node.scope!, { name: 'other', images: { x86_64: MachineImage.fromId('ami-1') } }, 'other').templateFor('arm64')).toThrow(
      /has no arm64 template/,
    );
  });

  test('GIVEN an AMI with another root device WHEN synthesized THEN that device is encrypted', () => {
    const { json } = synth((stack) => launchTemplate(stack, { images: { x86_64: MachineImage.fromId('ami-ubuntu', { rootDeviceName: '/dev/sda1' }) } }));
    expect(onlyResource(json, 'aws_launch_template').block_device_mappings[0].device_name).toBe('/dev/sda1');
  });

  test('GIVEN guardrail requirements WHEN synthesized THEN the template carries them', () => {
    const { json } = synth((stack) => launchTemplate(stack, { requirements: BOUNDED }));
    expect(onlyResource(json, 'aws_launch_template').instance_requirements).toEqual({
      vcpu_count: { min: 2, max: 8 },
      memory_mib: { min: 4096, max: 16384 },
      accelerator_count: { max: 0 },
    });
  });

  test('GIVEN guardrail requirements without maxima WHEN synthesized THEN the template warns', () => {
    const { warnings } = synth((stack) =>
      launchTemplate(stack, { requirements: InstanceRequirements.of({ vcpus: { min: 2 }, memoryMib: { min: 1024 }, acceleratorCount: { max: 0 } }) }),
    );
    expect(warnings).toEqual([expect.stringMatching(/requirements\.vcpus has no max/), expect.stringMatching(/requirements\.memoryMib has no max/)]);
  });

  test.each([
    ['no image', { images: {} }, /test\/lt: images is empty/],
    ['an unknown architecture', { images: { i386: MachineImage.fromId('ami-1') } as never }, /test\/lt: images: 'i386' is not a supported architecture/],
    ['a name with spaces', { name: 'my web' }, /test\/lt: name 'my web' is not a valid launch template name prefix/],
    ['a root volume of 0 GiB', { rootVolumeSizeGib: 0 }, /test\/lt: rootVolumeSizeGib is 0/],
    ['a root volume beyond gp3', { rootVolumeSizeGib: 20000 }, /rootVolumeSizeGib is 20000/],
    [
      'invalid guardrail requirements',
      { requirements: InstanceRequirements.of({ vcpus: { min: 8, max: 2 }, memoryMib: { min: 1024 } }) },
      /test\/lt: requirements\.vcpus\.min \(8\) is greater than requirements\.vcpus\.max \(2\)/,
    ],
  ])('GIVEN %s WHEN constructed THEN a ConstructError names the construct path', (_name, props, message) => {
    expect(() => synth((stack) => launchTemplate(stack, props))).toThrow(message);
  });
});
