import type { JsonRule } from '../../rule';
import { resourcesOf } from '../../terraform-json';
import { block, label } from '../helpers';

export const LAUNCH_TEMPLATE_IMDSV2: JsonRule = {
  id: 'MR-EC2-1',
  pack: 'security',
  severity: 'error',
  problem: 'a launch template that allows IMDSv1 lets a server-side request forgery read the instance role credentials',
  fix: "set metadata_options { http_tokens = 'required' } (AbsLaunchTemplate always does)",
  checkov: ['CKV_AWS_79'],
  check: (json) =>
    resourcesOf(json, 'aws_launch_template')
      .filter((template) => block(template.body.metadata_options)?.http_tokens !== 'required')
      .map((template) => ({ address: template.address, message: `launch template ${label(template, 'name_prefix')} does not require IMDSv2 tokens` })),
};
