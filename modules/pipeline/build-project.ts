import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CodebuildProject, type CodebuildProjectSource } from '@cdktf/provider-aws/lib/codebuild-project';
import { buildImageProblem } from '../../lib/pipeline-config';
import { terraformLiteral } from '../../lib/terraform-literal';
import { ConstructError } from '../construct-error';
import { buildspecText, type BuildspecName } from './buildspecs';

/** Where a build gets its code. */
export type BuildSource =
  | { readonly kind: 'pipeline' }
  | { readonly kind: 'codecommit'; readonly cloneUrl: string; readonly depth: number }
  | { readonly kind: 'connection'; readonly repositoryUrl: string; readonly connectionArn: string; readonly depth: number };

export interface BuildProjectProps {
  /** Project name; also names the log group `/aws/codebuild/<name>`. */
  readonly projectName: string;
  readonly description: string;
  /** The role the build runs as. */
  readonly serviceRoleArn: string;
  /** The buildspec (buildspecs/<name>.yml), embedded in the project. */
  readonly buildspec: BuildspecName;
  /** Pinned image: CodeBuild-managed or ECR by digest (see lib/pipeline-config.ts). */
  readonly image: string;
  /** KMS key ARN for artifacts, logs and the build's cache. */
  readonly kmsKeyArn: string;
  /** Log retention in days. */
  readonly logRetentionDays: number;
  /** Where the code comes from. @default - the pipeline's input artifact */
  readonly source?: BuildSource;
  /** Environment variables every build of the project gets (plain text: never secrets). @default - none */
  readonly environmentVariables?: Readonly<Record<string, string>>;
  /** Minutes before a build is stopped. @default 30 */
  readonly timeoutMinutes?: number;
  /** Region of the project. @default - the provider's region */
  readonly region?: string;
  /** At most this many builds at once (1 serializes the trigger). @default - no limit */
  readonly concurrentBuildLimit?: number;
}

/**
 * A CodeBuild project of the release pipelines: pinned image, embedded buildspec, encrypted
 * artifacts, logs only to CloudWatch with a retention, no privileged mode.
 */
export class BuildProject extends Construct {
  readonly name: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: BuildProjectProps) {
    super(scope, id);
    const timeoutMinutes = props.timeoutMinutes ?? 30;
    const source = props.source ?? { kind: 'pipeline' };
    const imageProblem = buildImageProblem(props.image);
    if (imageProblem !== undefined) throw new ConstructError(this, `image: ${imageProblem}`);
    if (timeoutMinutes < 5 || timeoutMinutes > 480) throw new ConstructError(this, `timeoutMinutes is ${timeoutMinutes}: CodeBuild accepts 5 to 480`);
    const region = props.region !== undefined ? { region: props.region } : {};
    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/codebuild/${props.projectName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
      ...region,
    });
    // Bash's ${VAR:-} and ${TAG:0:12} are terraform template syntax: embed the text literally.
    const buildspec = terraformLiteral(buildspecText(props.buildspec));
    const sources: Record<BuildSource['kind'], CodebuildProjectSource> = {
      pipeline: { type: 'CODEPIPELINE', buildspec },
      codecommit:
        source.kind === 'codecommit' ? { type: 'CODECOMMIT', location: source.cloneUrl, gitCloneDepth: source.depth, buildspec } : { type: 'NO_SOURCE' },
      connection:
        source.kind === 'connection'
          ? {
              type: 'GITHUB',
              location: source.repositoryUrl,
              gitCloneDepth: source.depth,
              buildspec,
              auth: { type: 'CODECONNECTIONS', resource: source.connectionArn },
            }
          : { type: 'NO_SOURCE' },
    };
    const project = new CodebuildProject(this, 'project', {
      name: props.projectName,
      description: props.description,
      serviceRole: props.serviceRoleArn,
      buildTimeout: timeoutMinutes,
      queuedTimeout: 480,
      encryptionKey: props.kmsKeyArn,
      ...(props.concurrentBuildLimit !== undefined ? { concurrentBuildLimit: props.concurrentBuildLimit } : {}),
      artifacts: source.kind === 'pipeline' ? { type: 'CODEPIPELINE' } : { type: 'NO_ARTIFACTS' },
      source: sources[source.kind],
      environment: {
        type: 'LINUX_CONTAINER',
        computeType: 'BUILD_GENERAL1_SMALL',
        image: props.image,
        imagePullCredentialsType: props.image.startsWith('aws/codebuild/') ? 'CODEBUILD' : 'SERVICE_ROLE',
        privilegedMode: false,
        environmentVariable: Object.entries(props.environmentVariables ?? {}).map(([name, value]) => ({
          name,
          value: terraformLiteral(value),
          type: 'PLAINTEXT',
        })),
      },
      logsConfig: {
        cloudwatchLogs: { status: 'ENABLED', groupName: logGroup.name },
        s3Logs: { status: 'DISABLED' },
      },
      ...region,
    });
    this.name = project.name;
    this.arn = project.arn;
  }
}
