/** Settings every build project of one tooling stack shares (see BuildProjectProps). */
export interface BuildDefaults {
  /** Pinned image: CodeBuild-managed or ECR by digest. */
  readonly image: string;
  /** KMS key of artifacts and logs. */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  /** Variables of every project: the environment, the source kind, the scopes. */
  readonly environment: Readonly<Record<string, string>>;
  /** Variables of the trusted projects only: RELEASE_TARGETS, the terraform pin, the ledger. */
  readonly trustedEnvironment: Readonly<Record<string, string>>;
}
