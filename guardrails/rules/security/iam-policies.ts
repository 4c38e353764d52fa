import {
  asList,
  policyDocuments,
  refersTo,
  resourcesOf,
  type PolicyDocument,
  type PolicyStatement,
  type ResourceBlock,
  type TerraformJson,
} from '../../terraform-json';

/** Identity policies (roles, users, groups, managed policies): where Resource names what is granted. */
const IDENTITY_POLICY_OWNERS = ['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];

export function identityPolicies(json: TerraformJson): PolicyDocument[] {
  return policyDocuments(json).filter(
    (d) => (IDENTITY_POLICY_OWNERS.includes(d.owner.type) || d.attribute === 'inline_policy') && !isOnlyABoundary(json, d.owner),
  );
}

/**
 * A managed policy used only as a permissions boundary limits what a role's other policies can
 * grant and grants nothing itself, so its `Allow *` (the usual first statement of a boundary,
 * narrowed by its denies) is no grant of administrator access.
 */
function isOnlyABoundary(json: TerraformJson, policy: ResourceBlock): boolean {
  if (policy.type !== 'aws_iam_policy') return false;
  const referencesIt = (value: unknown): boolean => refersTo(value, policy.address);
  const asBoundary = resourcesOf(json, 'aws_iam_role').some((role) => referencesIt(role.body.permissions_boundary));
  const attached = ['aws_iam_role_policy_attachment', 'aws_iam_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment'].some(
    (type) => resourcesOf(json, type).some((a) => referencesIt(a.body.policy_arn)),
  );
  return asBoundary && !attached;
}

/** Resource policies (buckets, keys, topics, queues, tables) and role trust policies. */
export function resourcePolicies(json: TerraformJson): PolicyDocument[] {
  return policyDocuments(json).filter((d) => !IDENTITY_POLICY_OWNERS.includes(d.owner.type) && d.attribute !== 'inline_policy');
}

export function allows(statement: PolicyStatement): boolean {
  return statement.Effect === 'Allow';
}

export function actionsOf(statement: PolicyStatement): string[] {
  return asList(statement.Action);
}

export function resourcesOfStatement(statement: PolicyStatement): string[] {
  return asList(statement.Resource);
}

export function where(document: PolicyDocument, statement: PolicyStatement, index: number): string {
  return `${document.attribute} statement ${statement.Sid !== undefined ? `'${statement.Sid}'` : `#${index + 1}`}`;
}

/** Everyone: `"*"` or `{"AWS": "*"}`. */
export function isEveryone(principal: PolicyStatement['Principal']): boolean {
  if (principal === undefined) return false;
  if (principal === '*') return true;
  return typeof principal === 'object' && Object.values(principal).some((v) => asList(v as string | string[]).includes('*'));
}

/**
 * Read-only verbs of IAM action names. Anything else (Create, Put, Delete, Update, Attach, Pass,
 * Invoke, Start...) can change something.
 */
const READ_VERBS = [
  'Get',
  'List',
  'Describe',
  'Head',
  'BatchGet',
  'Query',
  'Scan',
  'Search',
  'Lookup',
  'View',
  'Select',
  'Check',
  'Detect',
  'Estimate',
  'Preview',
  'Simulate',
  'Test',
  'Validate',
  'Verify',
  'Decrypt',
  'Download',
  'Read',
];

export function isWriteAction(action: string): boolean {
  const name = action.includes(':') ? action.slice(action.indexOf(':') + 1) : action;
  if (name === '*' || name === '') return true;
  return !READ_VERBS.some((verb) => name.startsWith(verb));
}
