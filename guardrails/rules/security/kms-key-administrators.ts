import type { JsonRule } from '../../rule';
import { asList, policyDocuments } from '../../terraform-json';
import { allows } from './iam-policies';

/** Actions that administer a key (change its policy, delete it). */
const ADMIN_ACTIONS = ['kms:*', 'kms:PutKeyPolicy', 'kms:Put*', 'kms:ScheduleKeyDeletion', 'kms:Create*', 'kms:Update*', 'kms:Disable*'];

export const KMS_KEY_ADMINISTRATORS: JsonRule = {
  id: 'MR-KMS-2',
  pack: 'security',
  severity: 'error',
  problem: 'a KMS key administered by one principal cannot be managed without AWS Support once that principal is gone',
  fix: 'name at least two stable administrator roles in the key policy (pipeline.administrators in project.yaml)',
  checkov: [],
  check: (json) =>
    policyDocuments(json)
      .filter((d) => d.owner.type === 'aws_kms_key')
      .flatMap((document) => {
        const principals = new Set(
          document.statements
            .filter((s) => allows(s) && asList(s.Action).some((a) => ADMIN_ACTIONS.includes(a)) && typeof s.Principal === 'object')
            .flatMap((s) => asList((s.Principal as Record<string, string | string[]>).AWS)),
        );
        // The account root in a key policy hands administration to IAM, where many principals may hold it.
        const delegated = [...principals].some((p) => /^arn:[a-z-]+:iam::[0-9]{12}:root$/.test(p) || /^[0-9]{12}$/.test(p));
        return delegated || principals.size >= 2
          ? []
          : [
              {
                address: document.owner.address,
                message: `the key policy names ${principals.size === 0 ? 'no administrator' : `one administrator (${[...principals][0]})`}`,
              },
            ];
      }),
};
