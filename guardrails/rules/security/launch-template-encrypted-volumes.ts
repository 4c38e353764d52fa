import type { JsonRule } from '../../rule';
import { resourcesOf } from '../../terraform-json';
import { block, blocks, isTrue, label } from '../helpers';

export const LAUNCH_TEMPLATE_ENCRYPTED_VOLUMES: JsonRule = {
  id: 'MR-EC2-3',
  pack: 'security',
  severity: 'error',
  problem: 'a launch template whose EBS volumes are not encrypted leaves data readable from snapshots shared or copied later',
  fix: 'set ebs { encrypted = true } on every block device mapping (AbsLaunchTemplate always does)',
  // CKV_AWS_8 (claimed before) checks instances and launch configurations, not launch templates.
  checkov: [],
  check: (json) =>
    resourcesOf(json, 'aws_launch_template').flatMap((template) =>
      blocks(template.body.block_device_mappings)
        .filter((mapping) => block(mapping.ebs) !== undefined && !isTrue(block(mapping.ebs)?.encrypted))
        .map((mapping) => ({
          address: template.address,
          message: `launch template ${label(template, 'name_prefix')}: volume ${String(mapping.device_name ?? '?')} is not encrypted`,
        })),
    ),
};
