import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { ConstructError } from '../construct-error';

/** An AWS service that may use the key, bound by conditions to this account and resource. */
export interface KeyServiceGrant {
  /** Service principal, e.g. `logs.us-east-1.amazonaws.com`. */
  readonly service: string;
  readonly actions: readonly string[];
  /** IAM condition block, e.g. `{ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': '...' } }`. */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface EncryptionKeyProps {
  /** What the key protects; becomes its description. */
  readonly description: string;
  /** Alias, `alias/...`. */
  readonly alias: string;
  /** Principals (ARNs) that administer the key; never the account root. */
  readonly administrators: readonly string[];
  /** Principals (ARNs) that encrypt and decrypt with the key. */
  readonly users: readonly string[];
  /** Principals (ARNs) that only decrypt (read) with the key. @default - none */
  readonly readers?: readonly string[];
  /**
   * Roles of this account, possibly created later by another stack, that only decrypt: granted
   * by an `aws:PrincipalArn` condition, since a key policy naming a role that does not exist yet
   * is refused. @default - none
   */
  readonly laterReaders?: readonly string[];
  /** The account of the key, for the condition of laterReaders. @default - required with laterReaders */
  readonly account?: string;
  /** Service principals that use the key on this account's behalf. @default - none */
  readonly services?: readonly KeyServiceGrant[];
  /** Region of the key. @default - the provider's region */
  readonly region?: string;
  /** Refuse `terraform destroy` of the key. @default false */
  readonly preventDestroy?: boolean;
  /** Days before a deleted key is gone. @default 30 */
  readonly deletionWindowInDays?: number;
}

const ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];
const USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/**
 * A customer managed KMS key with rotation on and a key policy that names its principals: no
 * statement grants the account root (which would let any IAM principal of the account with a
 * kms:* permission use it).
 */
export class EncryptionKey extends Construct {
  readonly arn: string;
  readonly keyId: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    if (props.administrators.length === 0) {
      throw new ConstructError(this, 'administrators is empty: a key nobody administers can never be changed or recovered; name at least one role');
    }
    for (const principal of [...props.administrators, ...props.users, ...(props.readers ?? [])]) {
      if (/:root$/.test(principal)) {
        throw new ConstructError(this, `'${principal}' is the account root: name roles instead of granting every principal of the account`);
      }
    }
    if (deletionWindowInDays < 7 || deletionWindowInDays > 30) {
      throw new ConstructError(this, `deletionWindowInDays is ${deletionWindowInDays}: KMS accepts 7 to 30`);
    }
    if ((props.laterReaders ?? []).length > 0 && props.account === undefined)
      throw new ConstructError(this, 'laterReaders needs account: the grant is bound to roles of this account');
    // Fewer than two administrators is guardrail MR-KMS-2, checked on the rendered key policy.
    const statements: object[] = [
      { Sid: 'AdministerKey', Effect: 'Allow', Principal: { AWS: [...props.administrators] }, Action: ADMIN_ACTIONS, Resource: '*' },
      { Sid: 'UseKey', Effect: 'Allow', Principal: { AWS: [...props.users] }, Action: USE_ACTIONS, Resource: '*' },
      ...((props.readers ?? []).length > 0
        ? [{ Sid: 'DecryptOnly', Effect: 'Allow', Principal: { AWS: [...(props.readers ?? [])] }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' }]
        : []),
      ...((props.laterReaders ?? []).length > 0
        ? [
            {
              Sid: 'DecryptOnlyForRolesOfOtherStacks',
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Action: ['kms:Decrypt', 'kms:DescribeKey'],
              Resource: '*',
              Condition: { StringEquals: { 'kms:CallerAccount': props.account ?? '' }, ArnEquals: { 'aws:PrincipalArn': [...(props.laterReaders ?? [])] } },
            },
          ]
        : []),
      ...(props.services ?? []).map((grant, i) => ({
        Sid: `Service${i}`,
        Effect: 'Allow',
        Principal: { Service: grant.service },
        Action: [...grant.actions],
        Resource: '*',
        Condition: grant.conditions,
      })),
    ];
    const key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      ...(props.region !== undefined ? { region: props.region } : {}),
      lifecycle: { preventDestroy: props.preventDestroy ?? false },
    });
    new KmsAlias(this, 'alias', { name: props.alias, targetKeyId: key.keyId, ...(props.region !== undefined ? { region: props.region } : {}) });
    this.arn = key.arn;
    this.keyId = key.keyId;
  }
}
