import { loadOrganisation } from '../../lib/config';
import { TagError } from '../../lib/errors';
import { explainTag, listReleaseTags } from '../../lib/tag-report';
import { EXAMPLE_ENVIRONMENTS } from '../support/org';

const org = loadOrganisation(EXAMPLE_ENVIRONMENTS);

describe('explainTag', () => {
  test('GIVEN a global tag WHEN explained THEN it names the global stack, its deploy region and state', () => {
    const explanation = explainTag(org, 'prod_global/research/2.1');
    expect(explanation).toMatchObject({
      tag: 'prod_global/research/2.1',
      scope: 'global',
      region: org.project.globalRegion,
      team: 'research',
      version: '2.1',
      stack: 'research-prod-global',
    });
    expect(explanation.backend.key).toBe('research/prod-global/terraform.tfstate');
  });

  test('GIVEN a tag outside the grammar WHEN explained THEN the tag error says why', () => {
    expect(() => explainTag(org, 'dev_eu-central-1/risk')).toThrow(TagError);
  });
});

describe('listReleaseTags', () => {
  test('GIVEN tags of two stacks, a non-release tag and a stack no longer configured WHEN listed THEN versions are grouped in semver order and the rest reported', () => {
    const { stacks, ignored } = listReleaseTags(org, [
      'dev_us-east-1/research/1.10',
      'v1.0',
      'dev_us-east-1/research/1.9',
      'dev_global/research/1.0',
      'dev_us-east-1/gone/1.0',
    ]);
    expect(ignored).toEqual(['v1.0']);
    expect(stacks.map((s) => [s.stack, s.latest, s.versions, s.configured])).toEqual([
      ['gone-dev-us-east-1', '1.0', ['1.0'], false],
      ['research-dev-global', '1.0', ['1.0'], true],
      ['research-dev-us-east-1', '1.10', ['1.9', '1.10'], true],
    ]);
    expect(stacks[2].latestTag).toBe('dev_us-east-1/research/1.10');
  });

  test('GIVEN no tags WHEN listed THEN nothing is listed or ignored', () => {
    expect(listReleaseTags(org, [])).toEqual({ stacks: [], ignored: [] });
  });
});
