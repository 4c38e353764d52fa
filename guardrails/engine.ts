import type { IConstruct } from 'constructs';
import { RULES, ruleById } from './packs';
import { isJsonRule, type GuardrailContext, type Rule, type Severity } from './rule';
import { metadataBelow, REPORT_METADATA, SUPPRESS_METADATA, type ConstructSuppression, type ReportedViolation } from './suppressions';
import { allResources, type TerraformJson } from './terraform-json';

/** A suppression from the organisation config (environment or team level). */
export interface ConfigSuppression {
  readonly rule: string;
  readonly reason: string;
  /** Only this stack; every stack of the scope when absent. */
  readonly stack?: string;
  /** Where it was written, for messages: `environments/prod.yaml:12`. */
  readonly source: string;
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly stack: string;
  /** Terraform address, or the construct path for violations a construct reported. */
  readonly address: string;
  /** Construct path of the resource, when known. */
  readonly path?: string;
  readonly message: string;
  readonly fix: string;
  readonly checkov?: readonly string[];
}

export interface SuppressedFinding extends Finding {
  readonly reason: string;
  /** `construct <path>` or the config file and line. */
  readonly suppressedBy: string;
}

export interface GuardrailReport {
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
}

function findingOf(rule: Rule, stack: string, address: string, path: string | undefined, message: string, severity: Severity = rule.severity): Finding {
  return {
    rule: rule.id,
    severity,
    stack,
    address,
    ...(path !== undefined ? { path } : {}),
    message,
    fix: rule.fix,
    ...(rule.checkov !== undefined ? { checkov: rule.checkov } : {}),
  };
}

/**
 * Runs every rule over one stack: the JSON rules on its rendered Terraform, plus what its
 * constructs reported; then applies construct suppressions (the construct and everything below
 * it) and config suppressions. Deterministic: findings are sorted by rule, then address.
 */
export function evaluateStack(
  root: IConstruct,
  json: TerraformJson,
  context: GuardrailContext,
  configSuppressions: readonly ConfigSuppression[] = [],
): GuardrailReport {
  const pathOf = new Map(allResources(json).map((r) => [r.address, r.path]));
  const raw: Finding[] = [];
  for (const rule of RULES) {
    if (!isJsonRule(rule)) continue;
    for (const v of rule.check(json, context)) raw.push(findingOf(rule, context.stack, v.address, pathOf.get(v.address), v.message, v.severity));
  }
  for (const { path, data } of metadataBelow<ReportedViolation>(root, REPORT_METADATA)) {
    const rule = ruleById(data.rule);
    if (rule !== undefined) raw.push(findingOf(rule, context.stack, path, path, data.message));
  }
  const suppressions = metadataBelow<ConstructSuppression>(root, SUPPRESS_METADATA);
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of raw.sort(byRuleThenAddress)) {
    const byConstruct = suppressions.find(
      (s) => s.data.rule === finding.rule && finding.path !== undefined && (finding.path === s.path || finding.path.startsWith(`${s.path}/`)),
    );
    const byConfig = configSuppressions.find((s) => s.rule === finding.rule && (s.stack === undefined || s.stack === context.stack));
    if (byConstruct !== undefined) suppressed.push({ ...finding, reason: byConstruct.data.reason, suppressedBy: `construct ${byConstruct.path}` });
    else if (byConfig !== undefined) suppressed.push({ ...finding, reason: byConfig.reason, suppressedBy: byConfig.source });
    else findings.push(finding);
  }
  return { findings, suppressed };
}

function byRuleThenAddress(a: Finding, b: Finding): number {
  return ruleOrder(a.rule) - ruleOrder(b.rule) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0) || (a.message < b.message ? -1 : 1);
}

const ORDER = new Map(RULES.map((r, i) => [r.id, i]));
function ruleOrder(id: string): number {
  return ORDER.get(id) ?? Number.MAX_SAFE_INTEGER;
}

/** One line per finding: `<stack>: MR-S3-2 <address> (<path>): <message>; fix: <fix>`. */
export function formatFinding(f: Finding): string {
  const where = f.path !== undefined && f.path !== f.address ? `${f.address} (${f.path})` : f.address;
  return `${f.stack}: ${f.rule} ${where}: ${f.message}; fix: ${f.fix}`;
}
