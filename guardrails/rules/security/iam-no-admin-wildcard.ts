import type { JsonRule } from '../../rule';
import { actionsOf, allows, identityPolicies, resourcesOfStatement, where } from './iam-policies';

export const IAM_NO_ADMIN_WILDCARD: JsonRule = {
  id: 'MR-IAM-1',
  pack: 'security',
  severity: 'error',
  problem:
    'a policy that allows Action "*" grants every action, present and future, on what it names (deleting it, rewriting its policy, handing it to another account); on Resource "*" it is full administrator access',
  fix: 'name the actions and resources the role needs; where administrator access is the point (a deploy role), bound it with a permissions boundary and suppress with that reason',
  checkov: ['CKV_AWS_1', 'CKV_AWS_62', 'CKV_AWS_63'],
  check: (json) =>
    identityPolicies(json).flatMap((document) =>
      document.statements
        .map((statement, index) => ({ statement, index }))
        .filter(({ statement }) => allows(statement) && actionsOf(statement).some((a) => a === '*' || a === '*:*'))
        .map(({ statement, index }) => ({
          address: document.owner.address,
          message: `${where(document, statement, index)} allows every action on ${
            resourcesOfStatement(statement).includes('*') ? 'every resource' : resourcesOfStatement(statement).join(', ') || 'its resources'
          }`,
        })),
    ),
};
