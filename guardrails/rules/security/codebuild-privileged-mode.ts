import type { JsonRule } from '../../rule';
import { resourcesOf } from '../../terraform-json';
import { block, isTrue, label } from '../helpers';

export const CODEBUILD_PRIVILEGED_MODE: JsonRule = {
  id: 'MR-CB-1',
  pack: 'security',
  severity: 'error',
  problem: 'a CodeBuild project in privileged mode runs its build as root with the Docker daemon, so a build step can escape to the build host',
  fix: 'set privileged_mode = false; a project that must build images declares it with a suppression saying why',
  checkov: ['CKV_AWS_316'],
  check: (json) =>
    resourcesOf(json, 'aws_codebuild_project')
      .filter((p) => isTrue(block(p.body.environment)?.privileged_mode))
      .map((p) => ({ address: p.address, message: `project ${label(p)} runs in privileged mode` })),
};
