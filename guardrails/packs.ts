import type { Pack, Rule } from './rule';
import { ABS_MATCHES_ENOUGH_TYPES, ABS_MATCHES_SOME_TYPE } from './rules/abs/catalogue-matches';
import { ABS_REPORTED_RULES } from './rules/abs/reported';
import { NAT_PER_ZONE_OUTSIDE_PRODUCTION } from './rules/cost/nat-per-zone-outside-production';
import { ON_DEMAND_ONLY_OUTSIDE_PRODUCTION } from './rules/cost/on-demand-only-outside-production';
import { ESCAPED_REFERENCE } from './rules/reliability/escaped-reference';
import { GROUP_ACROSS_ZONES } from './rules/reliability/group-across-zones';
import { NAT_PER_ZONE_IN_PRODUCTION } from './rules/reliability/nat-per-zone-in-production';
import { SPOT_CAPACITY_REBALANCE } from './rules/reliability/spot-capacity-rebalance';
import { SPOT_NOT_LOWEST_PRICE } from './rules/reliability/spot-not-lowest-price';
import { TWO_ZONES_IN_PRODUCTION } from './rules/reliability/two-zones-in-production';
import { BACKEND_KMS_ENCRYPTION } from './rules/security/backend-kms-encryption';
import { CODEBUILD_PRIVILEGED_MODE } from './rules/security/codebuild-privileged-mode';
import { DEFAULT_SECURITY_GROUP_CLOSED } from './rules/security/default-security-group-closed';
import { DYNAMODB_CUSTOMER_KEY } from './rules/security/dynamodb-customer-key';
import { DYNAMODB_POINT_IN_TIME_RECOVERY } from './rules/security/dynamodb-point-in-time-recovery';
import { IAM_NO_ADMIN_WILDCARD } from './rules/security/iam-no-admin-wildcard';
import { IAM_NO_PUBLIC_PRINCIPAL } from './rules/security/iam-no-public-principal';
import { IAM_NO_WRITE_ON_ANY_RESOURCE } from './rules/security/iam-no-write-on-any-resource';
import { IAM_SERVICE_TRUST_CONFUSED_DEPUTY } from './rules/security/iam-service-trust-confused-deputy';
import { KMS_KEY_ADMINISTRATORS } from './rules/security/kms-key-administrators';
import { KMS_KEY_ROTATION } from './rules/security/kms-key-rotation';
import { LAUNCH_TEMPLATE_ENCRYPTED_VOLUMES } from './rules/security/launch-template-encrypted-volumes';
import { LAUNCH_TEMPLATE_HOP_LIMIT } from './rules/security/launch-template-hop-limit';
import { LAUNCH_TEMPLATE_IMDSV2 } from './rules/security/launch-template-imdsv2';
import { LOAD_BALANCER_DROP_INVALID_HEADERS } from './rules/security/load-balancer-drop-invalid-headers';
import { LOAD_BALANCER_HTTP_REDIRECTS } from './rules/security/load-balancer-http-redirects';
import { LOAD_BALANCER_MODERN_TLS } from './rules/security/load-balancer-modern-tls';
import { LOAD_BALANCER_ACCESS_LOGS, LOAD_BALANCER_DELETION_PROTECTION } from './rules/security/load-balancer-production';
import { LOG_GROUP_RETENTION_ENCRYPTION } from './rules/security/log-group-retention-encryption';
import { PROVIDER_ALLOWED_ACCOUNTS } from './rules/security/provider-allowed-accounts';
import { S3_KMS_ENCRYPTION } from './rules/security/s3-kms-encryption';
import { S3_OWNERSHIP_ENFORCED } from './rules/security/s3-ownership-enforced';
import { S3_PUBLIC_ACCESS_BLOCK } from './rules/security/s3-public-access-block';
import { S3_TLS_ONLY } from './rules/security/s3-tls-only';
import { S3_VERSIONING } from './rules/security/s3-versioning';
import { SECURITY_GROUP_OPEN_INGRESS } from './rules/security/security-group-open-ingress';
import {
  CLOUDTRAIL_KMS,
  CLOUDTRAIL_LOG_VALIDATION,
  ECR_IMMUTABLE_TAGS,
  ECR_SCAN_ON_PUSH,
  EBS_ENCRYPTED,
  EKS_PRIVATE_ENDPOINT,
  EKS_SECRETS_ENCRYPTED,
  LAMBDA_URL_AUTH,
  SECRET_ROTATION,
} from './rules/services/compute-and-containers';
import {
  ELASTICACHE_ENCRYPTED,
  RDS_BACKUPS,
  RDS_ENCRYPTED,
  RDS_NOT_PUBLIC,
  RDS_PRODUCTION_MULTI_AZ,
  RDS_PRODUCTION_PROTECTION,
} from './rules/services/databases';
import { SNS_ENCRYPTED, SQS_ENCRYPTED } from './rules/services/queues-and-topics';

/** Every rule, grouped in packs, in the order `multiregion rules` and the docs list them. */
export const RULES: readonly Rule[] = [
  // security
  S3_VERSIONING,
  S3_KMS_ENCRYPTION,
  S3_PUBLIC_ACCESS_BLOCK,
  S3_TLS_ONLY,
  S3_OWNERSHIP_ENFORCED,
  DYNAMODB_POINT_IN_TIME_RECOVERY,
  DYNAMODB_CUSTOMER_KEY,
  LAUNCH_TEMPLATE_IMDSV2,
  LAUNCH_TEMPLATE_HOP_LIMIT,
  LAUNCH_TEMPLATE_ENCRYPTED_VOLUMES,
  SECURITY_GROUP_OPEN_INGRESS,
  DEFAULT_SECURITY_GROUP_CLOSED,
  LOAD_BALANCER_DROP_INVALID_HEADERS,
  LOAD_BALANCER_MODERN_TLS,
  LOAD_BALANCER_HTTP_REDIRECTS,
  LOAD_BALANCER_ACCESS_LOGS,
  LOAD_BALANCER_DELETION_PROTECTION,
  IAM_NO_ADMIN_WILDCARD,
  IAM_NO_PUBLIC_PRINCIPAL,
  IAM_SERVICE_TRUST_CONFUSED_DEPUTY,
  IAM_NO_WRITE_ON_ANY_RESOURCE,
  PROVIDER_ALLOWED_ACCOUNTS,
  BACKEND_KMS_ENCRYPTION,
  CODEBUILD_PRIVILEGED_MODE,
  LOG_GROUP_RETENTION_ENCRYPTION,
  KMS_KEY_ROTATION,
  KMS_KEY_ADMINISTRATORS,
  SQS_ENCRYPTED,
  SNS_ENCRYPTED,
  RDS_ENCRYPTED,
  RDS_NOT_PUBLIC,
  ELASTICACHE_ENCRYPTED,
  EBS_ENCRYPTED,
  LAMBDA_URL_AUTH,
  ECR_SCAN_ON_PUSH,
  ECR_IMMUTABLE_TAGS,
  SECRET_ROTATION,
  EKS_PRIVATE_ENDPOINT,
  EKS_SECRETS_ENCRYPTED,
  CLOUDTRAIL_LOG_VALIDATION,
  CLOUDTRAIL_KMS,
  // reliability
  NAT_PER_ZONE_IN_PRODUCTION,
  TWO_ZONES_IN_PRODUCTION,
  GROUP_ACROSS_ZONES,
  SPOT_CAPACITY_REBALANCE,
  SPOT_NOT_LOWEST_PRICE,
  ESCAPED_REFERENCE,
  RDS_BACKUPS,
  RDS_PRODUCTION_PROTECTION,
  RDS_PRODUCTION_MULTI_AZ,
  // cost
  NAT_PER_ZONE_OUTSIDE_PRODUCTION,
  ON_DEMAND_ONLY_OUTSIDE_PRODUCTION,
  // abs
  ...ABS_REPORTED_RULES.slice(0, 7),
  ABS_MATCHES_SOME_TYPE,
  ABS_MATCHES_ENOUGH_TYPES,
  ...ABS_REPORTED_RULES.slice(7),
];

export const PACKS: readonly Pack[] = ['security', 'reliability', 'cost', 'abs'];

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
