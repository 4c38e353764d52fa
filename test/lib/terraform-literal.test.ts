import { renderedLiteral, terraformLiteral } from '../../lib/terraform-literal';

describe('terraformLiteral', () => {
  test('GIVEN bash parameter expansions and a template directive THEN terraform renders them as written', () => {
    const bash = 'echo "${COMMIT:0:12}" %{if x}$HOME';
    expect(terraformLiteral(bash)).toBe('echo "$${COMMIT:0:12}" %%{if x}$HOME');
    expect(renderedLiteral(terraformLiteral(bash))).toBe(bash);
  });

  test('GIVEN text without template syntax THEN it is unchanged', () => {
    expect(terraformLiteral('aws s3 cp "$FILE" s3://b/k')).toBe('aws s3 cp "$FILE" s3://b/k');
  });
});
