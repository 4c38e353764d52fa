import { partitionOfArn } from './arn';

/** At least this many administrators: one that disappears must never orphan the state key. */
export const MIN_KEY_ADMINISTRATORS = 2;

const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::([0-9]{12}):role\/([A-Za-z0-9+=,.@_/-]+)$/;

/**
 * Problems with `pipeline.administrators`, each as [index or undefined, message]. The roles
 * administer the KMS keys of every tooling stack and may use the state by hand. They must outlive
 * the people and sessions that deployed the stacks (threat: a key whose only administrator is
 * gone can be managed again only through AWS Support): at least two, IAM roles (not users, who
 * are people; not the account root, which is every principal), and not IAM Identity Center's
 * `aws-reserved/sso.amazonaws.com/` roles, which are replaced when a permission set changes.
 */
export function keyAdministratorProblems(administrators: readonly string[] | undefined, toolingAccount: string): [number | undefined, string][] {
  const problems: [number | undefined, string][] = [];
  const list = administrators ?? [];
  if (list.length < MIN_KEY_ADMINISTRATORS) {
    problems.push([
      undefined,
      `${list.length === 0 ? 'missing' : `only ${list.length} role`}: name at least ${MIN_KEY_ADMINISTRATORS} stable IAM roles of the tooling account (e.g. PlatformAdmin and BreakGlassAdmin) that administer the state key; a key whose only administrator disappears can be recovered only through AWS Support`,
    ]);
  }
  list.forEach((arn, i) => {
    const role = ROLE_ARN.exec(arn);
    if (role === null) {
      // The account root fails here on purpose: it is an account-wide grant. Users are people.
      problems.push([
        i,
        `'${arn}' is not an IAM role ARN (expected arn:${partitionOfArn(arn) ?? 'aws'}:iam::<account>:role/<name>; users leave, and the account root would grant every principal of the account)`,
      ]);
      return;
    }
    if (role[3].startsWith('aws-reserved/')) {
      problems.push([i, `'${arn}' is an IAM Identity Center role: it is replaced when its permission set changes; name a role you manage`]);
    } else if (role[2] !== toolingAccount) {
      problems.push([
        i,
        `'${arn}' is in account ${role[2]}, not the tooling account ${toolingAccount}: key administrators must be roles of the tooling account`,
      ]);
    }
  });
  return problems;
}
