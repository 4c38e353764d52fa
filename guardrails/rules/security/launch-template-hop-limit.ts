import type { JsonRule } from '../../rule';
import { resourcesOf } from '../../terraform-json';
import { block, label } from '../helpers';

/** The tag AbsLaunchTemplate puts on a template declared to run containers. */
export const CONTAINERS_TAG = 'multiregion:containers';

export const LAUNCH_TEMPLATE_HOP_LIMIT: JsonRule = {
  id: 'MR-EC2-2',
  pack: 'security',
  severity: 'error',
  problem: 'an IMDS hop limit above 1 lets containers (or anything one network hop away) reach the instance credentials; above 2 reaches further still',
  fix: `keep http_put_response_hop_limit at 1; use 2 only for templates that run containers (AbsLaunchTemplate containers: true, which tags the template ${CONTAINERS_TAG})`,
  checkov: ['CKV_AWS_341'],
  check: (json) =>
    resourcesOf(json, 'aws_launch_template').flatMap((template) => {
      const limit = block(template.body.metadata_options)?.http_put_response_hop_limit;
      if (typeof limit !== 'number' || limit <= 1) return [];
      const containers = (template.body.tags as Record<string, unknown> | undefined)?.[CONTAINERS_TAG] === 'true';
      if (limit === 2 && containers) return [];
      return [
        {
          address: template.address,
          message: `launch template ${label(template, 'name_prefix')} has hop limit ${limit}${limit === 2 ? ' but declares no containers' : ''}`,
        },
      ];
    }),
};
