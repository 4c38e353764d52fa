import type { JsonRule } from '../../rule';
import { actionsOf, allows, identityPolicies, isWriteAction, resourcesOfStatement, where } from './iam-policies';

export const IAM_NO_WRITE_ON_ANY_RESOURCE: JsonRule = {
  id: 'MR-IAM-4',
  pack: 'security',
  severity: 'error',
  problem: 'a policy that allows a write action on Resource "*" can change resources it was never meant to touch',
  fix: 'scope the resources (ARNs with the project or environment prefix); for actions AWS cannot scope (e.g. ec2:CreateNetworkInterface), add a condition or suppress with that reason',
  checkov: ['CKV_AWS_111', 'CKV_AWS_290'],
  check: (json) =>
    identityPolicies(json).flatMap((document) =>
      document.statements
        .map((statement, index) => ({ statement, index }))
        .filter(
          ({ statement }) =>
            allows(statement) &&
            statement.Condition === undefined &&
            resourcesOfStatement(statement).includes('*') &&
            !actionsOf(statement).every((a) => a === '*' || a === '*:*'),
        )
        .flatMap(({ statement, index }) => {
          const writes = actionsOf(statement).filter(isWriteAction);
          return writes.length === 0
            ? []
            : [{ address: document.owner.address, message: `${where(document, statement, index)} allows ${writes.join(', ')} on Resource "*"` }];
        }),
    ),
};
