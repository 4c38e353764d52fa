import { keyAdministratorProblems } from '../../lib/key-administrators';

const A = 'arn:aws:iam::111122223333:role/PlatformAdmin';
const B = 'arn:aws:iam::111122223333:role/BreakGlassAdmin';

describe('keyAdministratorProblems', () => {
  test.each([
    ['two stable roles of the tooling account', [A, B]],
    ['roles with a path, in GovCloud', ['arn:aws-us-gov:iam::111122223333:role/platform/Admin', 'arn:aws-us-gov:iam::111122223333:role/platform/BreakGlass']],
  ])('GIVEN %s THEN there is no problem', (_what, administrators) => {
    expect(keyAdministratorProblems(administrators, '111122223333')).toEqual([]);
  });

  test.each([
    ['none', undefined, [[undefined, expect.stringMatching(/^missing: name at least 2 stable IAM roles/)]]],
    ['one', [A], [[undefined, expect.stringMatching(/^only 1 role: name at least 2/)]]],
    ['a user', [A, 'arn:aws:iam::111122223333:user/alice'], [[1, expect.stringMatching(/is not an IAM role ARN/)]]],
    ['the account root', [A, 'arn:aws:iam::111122223333:root'], [[1, expect.stringMatching(/account root would grant every principal/)]]],
    [
      'an Identity Center role',
      [A, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1'],
      [[1, expect.stringMatching(/IAM Identity Center role/)]],
    ],
    ['a role of another account', [A, 'arn:aws:iam::999999999999:role/Admin'], [[1, expect.stringMatching(/not the tooling account 111122223333/)]]],
  ])('GIVEN %s THEN it is reported (keys must survive the people who deployed them)', (_what, administrators, expected) => {
    expect(keyAdministratorProblems(administrators, '111122223333')).toEqual(expected);
  });
});
