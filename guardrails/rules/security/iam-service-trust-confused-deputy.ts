import type { JsonRule } from '../../rule';
import { asList } from '../../terraform-json';
import { resourcesOf } from '../../terraform-json';
import { policyDocuments } from '../../terraform-json';
import { allows, where } from './iam-policies';

/**
 * EC2 assumes a role only through an instance profile of the same account, so the confused
 * deputy conditions do not apply to it (AWS documents none for ec2.amazonaws.com).
 */
const EXEMPT_SERVICES = ['ec2.amazonaws.com'];
const DEPUTY_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths'];

export const IAM_SERVICE_TRUST_CONFUSED_DEPUTY: JsonRule = {
  id: 'MR-IAM-3',
  pack: 'security',
  severity: 'error',
  problem:
    "a role trusting an AWS service without aws:SourceAccount or aws:SourceArn can be assumed by that service on behalf of another account's resources (confused deputy)",
  fix: 'add a condition on aws:SourceAccount (this account) and, where the caller is known, aws:SourceArn (the exact project, pipeline or rule)',
  checkov: [],
  check: (json) => {
    const roles = new Set(resourcesOf(json, 'aws_iam_role').map((r) => r.address));
    return policyDocuments(json)
      .filter((d) => roles.has(d.owner.address) && d.attribute === 'assume_role_policy')
      .flatMap((document) =>
        document.statements
          .map((statement, index) => ({ statement, index }))
          .filter(({ statement }) => {
            if (!allows(statement) || typeof statement.Principal !== 'object') return false;
            const services = asList((statement.Principal as Record<string, string | string[]>).Service).filter((s) => !EXEMPT_SERVICES.includes(s));
            if (services.length === 0) return false;
            const keys = Object.values(statement.Condition ?? {}).flatMap((c) => Object.keys(c).map((k) => k.toLowerCase()));
            return !keys.some((k) => DEPUTY_KEYS.includes(k));
          })
          .map(({ statement, index }) => ({
            address: document.owner.address,
            message: `${where(document, statement, index)} trusts ${asList((statement.Principal as Record<string, string | string[]>).Service).join(', ')} without aws:SourceAccount or aws:SourceArn`,
          })),
      );
  },
};
