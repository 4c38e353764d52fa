import type { JsonRule } from '../../rule';
import { block, blocks } from '../helpers';
import { listeners } from './load-balancers';

/** Every default action redirects to HTTPS; a listener with no default action in sight (a dynamic block, say) is not known to. */
function onlyRedirectsToHttps(actions: readonly Record<string, unknown>[]): boolean {
  return actions.length > 0 && actions.every((a) => a.type === 'redirect' && block(a.redirect)?.protocol === 'HTTPS');
}

export const LOAD_BALANCER_HTTP_REDIRECTS: JsonRule = {
  id: 'MR-LB-3',
  pack: 'security',
  severity: 'error',
  problem: 'a plain-HTTP listener that serves content sends it (and cookies) unencrypted',
  fix: "make every HTTP listener's default action a redirect to HTTPS (status HTTP_301); where plain HTTP is intended, suppress with the reason",
  checkov: ['CKV_AWS_2'],
  check: (json) =>
    listeners(json)
      .filter((l) => (l.body.protocol ?? 'HTTP') === 'HTTP' && !onlyRedirectsToHttps(blocks(l.body.default_action)))
      .map((l) => ({ address: l.address, message: `HTTP listener on port ${String(l.body.port ?? 80)} serves traffic instead of redirecting to HTTPS` })),
};
