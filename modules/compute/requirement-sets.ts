import type { AbsLaunchTemplate, ArchitectureLaunchTemplate } from './abs-launch-template';
import { errorFinding, type Finding } from './findings';
import type { InstanceRequirements } from './instance-requirements';
import type { CpuArchitecture } from './machine-image';

/** A requirement set for the launch template of one architecture (the seed article's Graviton + x86 example). */
export interface ArchitectureRequirements {
  /** The architecture whose launch template (and AMI) this set launches. */
  readonly architecture: CpuArchitecture;
  /** What instances of that architecture must offer. */
  readonly requirements: InstanceRequirements;
}

/** One resolved requirement set: which template it launches and where its settings came from. */
export interface RequirementSet {
  readonly template: ArchitectureLaunchTemplate;
  readonly requirements: InstanceRequirements;
  /** The property the set was given as, for messages. */
  readonly prefix: string;
  /** True when the set is the launch template's own guardrail requirements. */
  readonly fromTemplate: boolean;
}

export interface RequirementChoice {
  readonly requirements?: InstanceRequirements;
  readonly requirementsByArchitecture?: readonly ArchitectureRequirements[];
}

/**
 * The requirement sets of a group or fleet: `requirements` for every architecture of the
 * template, or `requirementsByArchitecture` as given, or else the template's own guardrails.
 */
export function resolveRequirementSets(template: AbsLaunchTemplate, choice: RequirementChoice): { sets: RequirementSet[]; findings: Finding[] } {
  const findings: Finding[] = [];
  if (choice.requirements !== undefined && choice.requirementsByArchitecture !== undefined) {
    findings.push(
      errorFinding(
        'requirements and requirementsByArchitecture are both set: use requirements for one set that every architecture shares, or requirementsByArchitecture for a set per architecture',
      ),
    );
    return { sets: [], findings };
  }
  if (choice.requirements !== undefined) {
    findings.push(...choice.requirements.findings('requirements'));
    const requirements = choice.requirements;
    return { sets: template.templates.map((t) => ({ template: t, requirements, prefix: 'requirements', fromTemplate: false })), findings };
  }
  if (choice.requirementsByArchitecture !== undefined) {
    const sets: RequirementSet[] = [];
    if (choice.requirementsByArchitecture.length === 0) {
      findings.push(errorFinding('requirementsByArchitecture is empty: give at least one set, or use requirements'));
    }
    choice.requirementsByArchitecture.forEach((entry, i) => {
      const prefix = `requirementsByArchitecture[${i}].requirements`;
      if (!template.architectures.includes(entry.architecture)) {
        findings.push(
          errorFinding(
            `requirementsByArchitecture[${i}].architecture is '${entry.architecture}' but the launch template has no ${entry.architecture} image (it has ${template.architectures.join(', ')}): add the image or drop the set`,
          ),
        );
        return;
      }
      findings.push(...entry.requirements.findings(prefix));
      sets.push({ template: template.templateFor(entry.architecture), requirements: entry.requirements, prefix, fromTemplate: false });
    });
    return { sets, findings };
  }
  if (template.requirements !== undefined) {
    const requirements = template.requirements;
    return { sets: template.templates.map((t) => ({ template: t, requirements, prefix: 'launchTemplate.requirements', fromTemplate: true })), findings };
  }
  return { sets: [], findings };
}
