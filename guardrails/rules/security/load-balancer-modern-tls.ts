import type { JsonRule } from '../../rule';
import { listeners } from './load-balancers';

/**
 * ELB policies with TLS 1.2 as the minimum and forward secrecy: the TLS 1.3 family (AWS's
 * recommended default since 2023) and the FS-1-2 restricted policies.
 */
export function isModernTlsPolicy(policy: unknown): boolean {
  return typeof policy === 'string' && (/^ELBSecurityPolicy-TLS13-1-[23]-/.test(policy) || /^ELBSecurityPolicy-FS-1-2-Res-20(19|20)-/.test(policy));
}

export const LOAD_BALANCER_MODERN_TLS: JsonRule = {
  id: 'MR-LB-2',
  pack: 'security',
  severity: 'error',
  problem:
    'an HTTPS listener (Application Load Balancer) or TLS listener (Network Load Balancer) without a modern TLS policy accepts TLS 1.0/1.1 or ciphers without forward secrecy (the default policy does)',
  fix: "set ssl_policy to a TLS 1.3 policy such as 'ELBSecurityPolicy-TLS13-1-2-2021-06'",
  checkov: ['CKV_AWS_103'],
  check: (json) =>
    listeners(json)
      .filter((l) => (l.body.protocol === 'HTTPS' || l.body.protocol === 'TLS') && !isModernTlsPolicy(l.body.ssl_policy))
      .map((l) => ({
        address: l.address,
        message: `${String(l.body.protocol)} listener uses ${typeof l.body.ssl_policy === 'string' ? `'${l.body.ssl_policy}'` : 'the default policy (ELBSecurityPolicy-2016-08, TLS 1.0)'}`,
      })),
};
