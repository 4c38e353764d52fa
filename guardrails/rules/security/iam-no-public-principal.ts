import type { JsonRule } from '../../rule';
import { allows, isEveryone, resourcePolicies, where } from './iam-policies';

export const IAM_NO_PUBLIC_PRINCIPAL: JsonRule = {
  id: 'MR-IAM-2',
  pack: 'security',
  severity: 'error',
  problem: 'a resource or trust policy that allows Principal "*" without a condition grants access to every AWS account and anonymous callers',
  fix: 'name the principals, or add a condition that narrows them (aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn)',
  checkov: ['CKV_AWS_70', 'CKV_AWS_93'],
  check: (json) =>
    resourcePolicies(json).flatMap((document) =>
      document.statements
        .map((statement, index) => ({ statement, index }))
        .filter(
          ({ statement }) =>
            allows(statement) && isEveryone(statement.Principal) && (statement.Condition === undefined || Object.keys(statement.Condition).length === 0),
        )
        .map(({ statement, index }) => ({
          address: document.owner.address,
          message: `${where(document, statement, index)} allows Principal "*" without a condition`,
        })),
    ),
};
