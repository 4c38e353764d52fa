import type { JsonRule } from '../../rule';

export const PROVIDER_ALLOWED_ACCOUNTS: JsonRule = {
  id: 'MR-PRV-1',
  pack: 'security',
  severity: 'error',
  problem: "an AWS provider without allowed_account_ids equal to the stack's account can apply the stack to whatever account the credentials reach",
  fix: "set allowed_account_ids = [<the stack's account>] (the stack base classes do)",
  checkov: [],
  check: (json, context) =>
    (json.provider?.aws ?? []).flatMap((provider, index) => {
      const allowed = provider.allowed_account_ids;
      const ok = Array.isArray(allowed) && allowed.length === 1 && allowed[0] === context.account;
      const name = typeof provider.alias === 'string' ? `provider.aws.${provider.alias}` : index === 0 ? 'provider.aws' : `provider.aws[${index}]`;
      return ok
        ? []
        : [{ address: name, message: `allowed_account_ids is ${Array.isArray(allowed) ? JSON.stringify(allowed) : 'unset'}, expected ["${context.account}"]` }];
    }),
};
