import type { Partition } from './regions';

/**
 * The one place ARNs are written. Every ARN names its partition, so the same code deploys to
 * `aws`, `aws-cn` and `aws-us-gov` (a hand-written `arn:aws:` silently points a GovCloud or China
 * deployment at resources that cannot exist there). Modelled on aws-cdk's `Stack.formatArn`.
 */
export interface ArnComponents {
  readonly partition: Partition;
  readonly service: string;
  /** Empty for global services (IAM, S3 buckets). @default '' */
  readonly region?: string;
  /** Empty for S3 buckets; `aws` for AWS managed IAM policies. @default '' */
  readonly account?: string;
  /** `role/Name`, `table/Name`, `bucket/key`... */
  readonly resource: string;
}

export function formatArn(c: ArnComponents): string {
  return `arn:${c.partition}:${c.service}:${c.region ?? ''}:${c.account ?? ''}:${c.resource}`;
}

export function iamRoleArn(partition: Partition, account: string, name: string): string {
  return formatArn({ partition, service: 'iam', account, resource: `role/${name}` });
}

export function iamPolicyArn(partition: Partition, account: string, name: string): string {
  return formatArn({ partition, service: 'iam', account, resource: `policy/${name}` });
}

/** An AWS managed policy (`arn:<partition>:iam::aws:policy/<name>`). */
export function awsManagedPolicyArn(partition: Partition, name: string): string {
  return iamPolicyArn(partition, 'aws', name);
}

/** A bucket, or an object (pattern) in it when `key` is given. */
export function s3Arn(partition: Partition, bucket: string, key?: string): string {
  return formatArn({ partition, service: 's3', resource: key === undefined ? bucket : `${bucket}/${key}` });
}

export function dynamodbTableArn(partition: Partition, region: string, account: string, table: string): string {
  return formatArn({ partition, service: 'dynamodb', region, account, resource: `table/${table}` });
}

/** `alias` includes its `alias/` prefix, as KMS spells it. */
export function kmsAliasArn(partition: Partition, region: string, account: string, alias: string): string {
  if (!alias.startsWith('alias/')) throw new Error(`KMS alias '${alias}' must start with alias/`);
  return formatArn({ partition, service: 'kms', region, account, resource: alias });
}

/** Every key of one account and region (`key/*`): narrowed by `kms:ResourceAliases` conditions. */
export function kmsKeysArn(partition: Partition, region: string, account: string): string {
  return formatArn({ partition, service: 'kms', region, account, resource: 'key/*' });
}

export function codebuildProjectArn(partition: Partition, region: string, account: string, project: string): string {
  return formatArn({ partition, service: 'codebuild', region, account, resource: `project/${project}` });
}

export function codepipelineArn(partition: Partition, region: string, account: string, pipeline: string): string {
  return formatArn({ partition, service: 'codepipeline', region, account, resource: pipeline });
}

export function codecommitRepositoryArn(partition: Partition, region: string, account: string, repository: string): string {
  return formatArn({ partition, service: 'codecommit', region, account, resource: repository });
}

export function logGroupArn(partition: Partition, region: string, account: string, name: string): string {
  return formatArn({ partition, service: 'logs', region, account, resource: `log-group:${name}` });
}

export function eventsRuleArn(partition: Partition, region: string, account: string, name: string): string {
  return formatArn({ partition, service: 'events', region, account, resource: `rule/${name}` });
}

/** The partition of an ARN someone wrote in the config, or undefined when it is not an ARN. */
export function partitionOfArn(arn: string): string | undefined {
  return /^arn:(aws(?:-[a-z]+)*):/.exec(arn)?.[1];
}
