import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { errorFinding, reportFindings, type Finding } from './findings';
import type { InstanceRequirements } from './instance-requirements';
import { CPU_ARCHITECTURES, type CpuArchitecture, type MachineImage } from './machine-image';

export interface AbsLaunchTemplateProps {
  /** Name prefix of the templates: each is named `<name>-<architecture>-` plus a unique suffix. */
  readonly name: string;
  /**
   * The AMI of each architecture the workload runs on: one launch template per entry, in this
   * order (the first becomes the default template of a group).
   */
  readonly images: Partial<Record<CpuArchitecture, MachineImage>>;
  /** Instance profile the instances run with. @default - no instance profile */
  readonly instanceProfileName?: string;
  /** Security groups of the instances. @default - the VPC's default security group */
  readonly securityGroupIds?: readonly string[];
  /** User data as plain text (a script or cloud-init); encoded here. @default - none */
  readonly userData?: string;
  /** Containers on the instance reach the metadata service (IMDSv2 hop limit 2 instead of 1). @default false */
  readonly containers?: boolean;
  /** Size of the encrypted gp3 root volume in GiB. @default - the AMI's snapshot size */
  readonly rootVolumeSizeGib?: number;
  /** KMS key of the root volume. @default - the account's default EBS key */
  readonly rootVolumeKmsKeyId?: string;
  /**
   * Requirements kept in the template itself, as guardrails for every group or fleet that uses
   * it (the seed article's first example); groups and fleets may still override them.
   * @default - none: the group or fleet states the requirements
   */
  readonly requirements?: InstanceRequirements;
  /** Tags of the instances and volumes launched from the templates. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** One launch template of an AbsLaunchTemplate: the AMI of one architecture. */
export interface ArchitectureLaunchTemplate {
  readonly architecture: CpuArchitecture;
  /** Launch template id. */
  readonly id: string;
  /**
   * The template's latest version number, as a string for version fields. Groups and fleets
   * reference this rather than `$Latest`, so a template change changes their configuration too
   * and starts an instance refresh.
   */
  readonly latestVersion: string;
}

// The tag naming each template's AMI architecture, read by the offline preview (lib/abs).
export { ARCHITECTURE_TAG } from '../../lib/abs/stack-preview';
import { ARCHITECTURE_TAG } from '../../lib/abs/stack-preview';
import { CONTAINERS_TAG } from '../../guardrails/rules/security/launch-template-hop-limit';

const NAME_PREFIX_PATTERN = /^[a-zA-Z0-9().\-/_]{1,100}$/;
const MAX_ROOT_VOLUME_GIB = 16384;

/**
 * Launch templates for attribute-based instance type selection: one per CPU architecture (each
 * with its own AMI), no instance type, IMDSv2 required, an encrypted gp3 root volume, an
 * instance profile, security groups and user data. Requirements in the template are optional
 * guardrails; usually the group or fleet states them.
 */
export class AbsLaunchTemplate extends Construct {
  /** The architectures, in the order given; the first is the default of a group. */
  readonly architectures: readonly CpuArchitecture[];
  /** The templates, one per architecture, in the same order. */
  readonly templates: readonly ArchitectureLaunchTemplate[];
  /** The guardrail requirements kept in the templates, if any. */
  readonly requirements?: InstanceRequirements;

  constructor(scope: Construct, id: string, props: AbsLaunchTemplateProps) {
    super(scope, id);
    const architectures = Object.keys(props.images) as CpuArchitecture[];
    const hopLimit = props.containers === true ? 2 : 1;
    const tags = props.tags ?? {};
    reportFindings(this, launchTemplateFindings(props, architectures));

    this.architectures = architectures;
    this.requirements = props.requirements;
    this.templates = architectures.map((architecture) => {
      const image = props.images[architecture]!;
      const template = new LaunchTemplate(this, architecture, {
        namePrefix: `${props.name}-${architecture}-`,
        description: `ABS launch template (${architecture}), managed by multiregion`,
        imageId: image.imageIdIn(this, `ami-${architecture}`),
        updateDefaultVersion: true,
        // The containers tag declares the hop limit of 2 to guardrail MR-EC2-2.
        tags: { [ARCHITECTURE_TAG]: architecture, ...(props.containers === true ? { [CONTAINERS_TAG]: 'true' } : {}) },
        metadataOptions: {
          httpEndpoint: 'enabled',
          httpTokens: 'required',
          httpPutResponseHopLimit: hopLimit,
        },
        blockDeviceMappings: [
          {
            deviceName: image.rootDeviceName,
            ebs: {
              volumeType: 'gp3',
              encrypted: 'true',
              deleteOnTermination: 'true',
              ...(props.rootVolumeSizeGib !== undefined ? { volumeSize: props.rootVolumeSizeGib } : {}),
              ...(props.rootVolumeKmsKeyId !== undefined ? { kmsKeyId: props.rootVolumeKmsKeyId } : {}),
            },
          },
        ],
        ...(props.instanceProfileName !== undefined ? { iamInstanceProfile: { name: props.instanceProfileName } } : {}),
        ...(props.securityGroupIds !== undefined ? { vpcSecurityGroupIds: [...props.securityGroupIds] } : {}),
        ...(props.userData !== undefined ? { userData: encodeUserData(props.userData) } : {}),
        ...(props.requirements !== undefined ? { instanceRequirements: props.requirements.render() } : {}),
        ...(Object.keys(tags).length > 0 ? { tagSpecifications: ['instance', 'volume'].map((resourceType) => ({ resourceType, tags: { ...tags } })) } : {}),
      });
      return { architecture, id: template.id, latestVersion: Token.asString(template.latestVersion) };
    });
  }

  /** The template of one architecture. */
  templateFor(architecture: CpuArchitecture): ArchitectureLaunchTemplate {
    const template = this.templates.find((t) => t.architecture === architecture);
    if (template === undefined) throw new Error(`${this.node.path} has no ${architecture} template (it has ${this.architectures.join(', ')})`);
    return template;
  }
}

function encodeUserData(userData: string): string {
  return Token.isUnresolved(userData) ? Fn.base64encode(userData) : Buffer.from(userData, 'utf8').toString('base64');
}

function launchTemplateFindings(props: AbsLaunchTemplateProps, architectures: readonly string[]): Finding[] {
  const out: Finding[] = [];
  if (architectures.length === 0) {
    out.push(errorFinding(`images is empty: give the AMI of at least one architecture, e.g. { x86_64: MachineImage.latestAmazonLinux2023('x86_64') }`));
  }
  for (const architecture of architectures) {
    if (!(CPU_ARCHITECTURES as readonly string[]).includes(architecture)) {
      out.push(errorFinding(`images: '${architecture}' is not a supported architecture: expected ${CPU_ARCHITECTURES.join(' or ')}`));
    }
  }
  if (!Token.isUnresolved(props.name) && !NAME_PREFIX_PATTERN.test(props.name)) {
    out.push(errorFinding(`name '${props.name}' is not a valid launch template name prefix: expected 1-100 letters, digits and ().-/_`));
  }
  const size = props.rootVolumeSizeGib;
  if (size !== undefined && !Token.isUnresolved(size) && (!Number.isInteger(size) || size < 1 || size > MAX_ROOT_VOLUME_GIB)) {
    out.push(errorFinding(`rootVolumeSizeGib is ${size}: expected a whole number of GiB from 1 to ${MAX_ROOT_VOLUME_GIB} (gp3)`));
  }
  if (props.requirements !== undefined) out.push(...props.requirements.findings('requirements'));
  return out;
}
