import { escapedReferences } from '../../../lib/terraform-literal';
import type { JsonRule } from '../../rule';

export const ESCAPED_REFERENCE: JsonRule = {
  id: 'MR-TF-1',
  pack: 'reliability',
  severity: 'error',
  problem:
    'a value that names a resource of the same stack reaches terraform as the literal text ${...} (an escaped $${...}), so the resource gets that text instead of the value: the drift topic once got no notifications this way',
  fix: 'pass the token itself (topic.arn) rather than escaped text; where text is escaped with terraformLiteral, keep references out of it',
  checkov: [],
  check: (json) =>
    escapedReferences(json).map((found) => ({
      address: found.address,
      message: `${found.attribute} is the literal text '${found.text}', not a reference to ${found.target}`,
    })),
};
