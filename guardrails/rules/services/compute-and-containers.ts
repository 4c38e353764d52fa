import type { JsonRule } from '../../rule';
import { configures, resourcesOf } from '../../terraform-json';
import { block, blocks, isTrue, label } from '../helpers';

export const EBS_ENCRYPTED: JsonRule = {
  id: 'MR-EBS-1',
  pack: 'security',
  severity: 'error',
  problem: 'an EBS volume that is not encrypted leaves its data readable from any snapshot or copy of it',
  fix: 'set encrypted = true (with kms_key_id for a customer-managed key)',
  checkov: ['CKV_AWS_3'],
  check: (json) =>
    resourcesOf(json, 'aws_ebs_volume').flatMap((volume) => {
      if (isTrue(volume.body.encrypted)) return [];
      // Unset, the volume follows the account's EBS encryption by default, which synth cannot see.
      if (volume.body.encrypted === undefined) {
        return [
          {
            address: volume.address,
            severity: 'warning' as const,
            message: `volume ${label(volume)} does not set encrypted: it is encrypted only if the account encrypts EBS by default`,
          },
        ];
      }
      return [{ address: volume.address, message: `volume ${label(volume)} is not encrypted` }];
    }),
};

export const LAMBDA_URL_AUTH: JsonRule = {
  id: 'MR-LAMBDA-1',
  pack: 'security',
  severity: 'error',
  problem: 'a Lambda function URL with authorization NONE lets anyone on the internet invoke the function',
  fix: "set authorization_type = 'AWS_IAM'; where a public endpoint is the point, suppress with the reason and check the function authenticates callers itself",
  checkov: ['CKV_AWS_258'],
  check: (json) =>
    resourcesOf(json, 'aws_lambda_function_url')
      .filter((url) => url.body.authorization_type === 'NONE')
      .map((url) => ({ address: url.address, message: `function URL ${url.address} takes calls without authorization` })),
};

export const ECR_SCAN_ON_PUSH: JsonRule = {
  id: 'MR-ECR-1',
  pack: 'security',
  severity: 'warning',
  problem: 'an ECR repository that does not scan on push lets images with known vulnerabilities in unnoticed',
  fix: 'set image_scanning_configuration { scan_on_push = true } (or enable enhanced scanning for the registry)',
  checkov: ['CKV_AWS_163'],
  check: (json) =>
    resourcesOf(json, 'aws_ecr_repository')
      .filter((repo) => !isTrue(block(repo.body.image_scanning_configuration)?.scan_on_push))
      .map((repo) => ({ address: repo.address, message: `repository ${label(repo)} does not scan images on push` })),
};

export const ECR_IMMUTABLE_TAGS: JsonRule = {
  id: 'MR-ECR-2',
  pack: 'security',
  severity: 'warning',
  problem: 'an ECR repository with mutable tags lets a push replace the image a deployed tag names',
  fix: "set image_tag_mutability = 'IMMUTABLE' and deploy by new tag (or digest)",
  checkov: ['CKV_AWS_51'],
  check: (json) =>
    resourcesOf(json, 'aws_ecr_repository')
      .filter((repo) => repo.body.image_tag_mutability !== 'IMMUTABLE')
      .map((repo) => ({ address: repo.address, message: `repository ${label(repo)} has mutable tags` })),
};

export const SECRET_ROTATION: JsonRule = {
  id: 'MR-SM-1',
  pack: 'security',
  severity: 'warning',
  problem: 'a Secrets Manager secret without rotation keeps the same credential until someone remembers to change it',
  fix: 'add an aws_secretsmanager_secret_rotation for it; for a secret that cannot rotate (an API key of a vendor), suppress with the reason',
  checkov: ['CKV2_AWS_57'],
  check: (json) => {
    const rotations = resourcesOf(json, 'aws_secretsmanager_secret_rotation');
    return resourcesOf(json, 'aws_secretsmanager_secret')
      .filter((secret) => !rotations.some((r) => configures(r, secret, 'secret_id')))
      .map((secret) => ({ address: secret.address, message: `secret ${label(secret)} is never rotated` }));
  },
};

export const EKS_PRIVATE_ENDPOINT: JsonRule = {
  id: 'MR-EKS-1',
  pack: 'security',
  severity: 'error',
  problem: "an EKS cluster whose API endpoint is public to 0.0.0.0/0 (the default) exposes the Kubernetes API to the internet's scanners",
  fix: 'set vpc_config { endpoint_public_access = false, endpoint_private_access = true }, or list the networks that may reach it in public_access_cidrs',
  checkov: ['CKV_AWS_38', 'CKV_AWS_39'],
  check: (json) =>
    resourcesOf(json, 'aws_eks_cluster')
      .filter((cluster) => {
        const vpc = block(cluster.body.vpc_config) ?? {};
        if (vpc.endpoint_public_access === false || vpc.endpoint_public_access === 'false') return false;
        const cidrs = vpc.public_access_cidrs;
        return !Array.isArray(cidrs) || cidrs.length === 0 || cidrs.includes('0.0.0.0/0');
      })
      .map((cluster) => ({ address: cluster.address, message: `cluster ${label(cluster)} serves its API endpoint to the whole internet` })),
};

export const EKS_SECRETS_ENCRYPTED: JsonRule = {
  id: 'MR-EKS-2',
  pack: 'security',
  severity: 'error',
  problem: "an EKS cluster without envelope encryption of secrets keeps Kubernetes secrets readable to anyone who reads etcd's storage",
  fix: "add encryption_config { resources = ['secrets'], provider { key_arn = <KMS key> } }",
  checkov: ['CKV_AWS_58'],
  check: (json) =>
    resourcesOf(json, 'aws_eks_cluster')
      .filter((cluster) => !blocks(cluster.body.encryption_config).some((c) => Array.isArray(c.resources) && c.resources.includes('secrets')))
      .map((cluster) => ({ address: cluster.address, message: `cluster ${label(cluster)} does not encrypt its secrets with a KMS key` })),
};

export const CLOUDTRAIL_LOG_VALIDATION: JsonRule = {
  id: 'MR-CT-1',
  pack: 'security',
  severity: 'error',
  problem: 'a CloudTrail trail without log file validation cannot prove that its logs were not altered or deleted after delivery',
  fix: 'set enable_log_file_validation = true',
  checkov: ['CKV_AWS_36'],
  check: (json) =>
    resourcesOf(json, 'aws_cloudtrail')
      .filter((trail) => !isTrue(trail.body.enable_log_file_validation))
      .map((trail) => ({ address: trail.address, message: `trail ${label(trail)} does not validate its log files` })),
};

export const CLOUDTRAIL_KMS: JsonRule = {
  id: 'MR-CT-2',
  pack: 'security',
  severity: 'error',
  problem: 'a CloudTrail trail without a KMS key leaves its logs readable to anyone who can read the bucket',
  fix: 'set kms_key_id to a customer-managed key whose policy lets CloudTrail encrypt',
  checkov: ['CKV_AWS_35'],
  check: (json) =>
    resourcesOf(json, 'aws_cloudtrail')
      .filter((trail) => typeof trail.body.kms_key_id !== 'string' || trail.body.kms_key_id === '')
      .map((trail) => ({ address: trail.address, message: `trail ${label(trail)} is not encrypted with a KMS key` })),
};
