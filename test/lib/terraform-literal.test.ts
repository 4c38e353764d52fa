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

describe('terraformLiteral with cdktf tokens', () => {
  test('GIVEN a token between bash expansions THEN the token stays a reference and the text around it is escaped', () => {
    const text = 'arn=${TfToken[TOKEN.42]} tag=${TAG:0:12}';
    expect(terraformLiteral(text)).toBe('arn=${TfToken[TOKEN.42]} tag=$${TAG:0:12}');
  });

  test('GIVEN only a token THEN it is unchanged', () => {
    expect(terraformLiteral('${TfToken[TOKEN.7]}')).toBe('${TfToken[TOKEN.7]}');
  });

  test('GIVEN text that only looks like a token THEN it is escaped', () => {
    expect(terraformLiteral('${TfToken[TOKEN 7]}')).toBe('$${TfToken[TOKEN 7]}');
  });
});
