import type { JsonRule } from '../../rule';
import { allows, isEveryone, narrowsPrincipals, resourcePolicies, where } from './iam-policies';

export const IAM_NO_PUBLIC_PRINCIPAL: JsonRule = {
  id: 'MR-IAM-2',
  pack: 'security',
  severity: 'error',
  problem:
    'a resource or trust policy that allows Principal "*" without a condition that narrows it grants access to every AWS account and anonymous callers; a condition on anything else (aws:SecureTransport, a tag) or with a wildcard account (aws:PrincipalArn arn:aws:iam::*) narrows nothing',
  fix: 'name the principals, or add a condition that narrows them to your accounts (aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn or aws:PrincipalArn naming the account)',
  // CKV_AWS_93 (claimed before) checks that a bucket policy does not lock out all but root: not this.
  checkov: ['CKV_AWS_70'],
  check: (json) =>
    resourcePolicies(json).flatMap((document) =>
      document.statements
        .map((statement, index) => ({ statement, index }))
        .filter(({ statement }) => allows(statement) && isEveryone(statement.Principal) && !narrowsPrincipals(statement.Condition))
        .map(({ statement, index }) => ({
          address: document.owner.address,
          message: `${where(document, statement, index)} allows Principal "*" without a condition that narrows it to named accounts`,
        })),
    ),
};
