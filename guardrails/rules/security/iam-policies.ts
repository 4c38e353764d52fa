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

/** Condition keys that can narrow "everyone" to one account, organisation, resource or network, and the form a narrowing value has. */
const NARROWING_KEYS: Readonly<Record<string, RegExp>> = {
  'aws:principalorgid': /^o-[a-z0-9]{10,32}$/,
  'aws:sourceorgid': /^o-[a-z0-9]{10,32}$/,
  'aws:principalorgpaths': /^o-[a-z0-9]{10,32}\/r-[a-z0-9]{4,32}\//,
  'aws:sourceorgpaths': /^o-[a-z0-9]{10,32}\/r-[a-z0-9]{4,32}\//,
  'aws:principalaccount': /^\d{12}$/,
  'aws:sourceaccount': /^\d{12}$/,
  'aws:sourceowner': /^\d{12}$/,
  'kms:calleraccount': /^\d{12}$/,
  // An ARN narrows only when its account is named: arn:aws:iam::* or arn:aws:iam::*:role/x narrows nothing.
  'aws:principalarn': /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:\d{12}:./,
  'aws:sourcearn': /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:\d{12}:./,
  'aws:sourcevpc': /^vpc-[0-9a-f]+$/,
  'aws:sourcevpce': /^vpce-[0-9a-f]+$/,
};

/**
 * Whether a statement's condition narrows who may use it: some positive operator (not a Not…,
 * not Null, not ForAllValues, which holds when the key is absent) on a narrowing key whose every
 * value names a specific account, organisation, resource of an account, VPC or endpoint. A
 * condition on anything else (aws:SecureTransport, a tag), or with a wildcard where the account
 * goes, leaves the statement open to everyone.
 */
export function narrowsPrincipals(condition: PolicyStatement['Condition']): boolean {
  return Object.entries(condition ?? {}).some(([operator, keys]) => {
    if (/Not|^Null$|^ForAllValues:/i.test(operator) || !/(String|Arn)(Equals|Like)/.test(operator)) return false;
    return Object.entries(keys ?? {}).some(([key, value]) => {
      const form = NARROWING_KEYS[key.toLowerCase()];
      const values = asList(value as string | string[]);
      return form !== undefined && values.length > 0 && values.every((v) => typeof v === 'string' && form.test(v));
    });
  });
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
