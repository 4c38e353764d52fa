import { escapedReferences, renderedLiteral, terraformLiteral } from '../../lib/terraform-literal';

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

  test('GIVEN a dollar sign right before a token THEN it is written so that the token stays a reference', () => {
    // 'cost: $' followed by a token, as `cost: $${topic.arn}` in a template literal builds it.
    expect(terraformLiteral('cost: $' + '${TfToken[TOKEN.9]}')).toBe('cost: ${"$"}${TfToken[TOKEN.9]}');
  });

  test('GIVEN only a token THEN it is unchanged', () => {
    expect(terraformLiteral('${TfToken[TOKEN.7]}')).toBe('${TfToken[TOKEN.7]}');
  });

  test('GIVEN text that only looks like a token THEN it is escaped', () => {
    expect(terraformLiteral('${TfToken[TOKEN 7]}')).toBe('$${TfToken[TOKEN 7]}');
  });
});

describe('escapedReferences', () => {
  const stack = (extra: Record<string, unknown>) => ({
    resource: { aws_sns_topic: { topic: { name: 't' } }, aws_s3_bucket: { logs: { count: 2, bucket: 'b' } } },
    data: { aws_caller_identity: { me: {} } },
    ...extra,
  });

  test('GIVEN live references, bash expansions and escaped names of nothing in the stack THEN nothing is reported', () => {
    const json = stack({
      output: {
        a: { value: '${aws_sns_topic.topic.arn}' },
        b: { value: 'echo $${TAG:0:12} $${aws_sqs_queue.other.arn}' },
      },
    });
    expect(escapedReferences(json)).toEqual([]);
  });

  test.each([
    ['a resource attribute', '$${aws_sns_topic.topic.arn}', 'aws_sns_topic.topic'],
    ['an indexed resource', '$${aws_s3_bucket.logs[count.index].id}', 'aws_s3_bucket.logs'],
    ['a splat', '$${aws_s3_bucket.logs[*].arn}', 'aws_s3_bucket.logs'],
    ['a data source', 'account $${data.aws_caller_identity.me.account_id}', 'data.aws_caller_identity.me'],
    ['a whole resource', '$${aws_sns_topic.topic}', 'aws_sns_topic.topic'],
    ['a doubly escaped reference (terraform renders $$${x} as $${x}: still text)', '$$${aws_sns_topic.topic.arn}', 'aws_sns_topic.topic'],
    ['an escaped function call over a reference', '$${replace(aws_sns_topic.topic.arn, ":", "/")}', 'aws_sns_topic.topic'],
    ['an escaped reference with spaces', '$${ aws_sns_topic.topic.arn }', 'aws_sns_topic.topic'],
  ])('GIVEN %s escaped in a nested block THEN it is reported with its block, attribute path and target', (_name, value, target) => {
    const json = stack({
      resource: {
        aws_sns_topic: { topic: { name: 't' } },
        aws_s3_bucket: { logs: {} },
        aws_codebuild_project: { p: { environment: [{ environment_variable: [{ name: 'X', value }] }] } },
      },
    });
    expect(escapedReferences(json)).toEqual([
      { address: 'aws_codebuild_project.p', attribute: 'environment[0].environment_variable[0].value', text: expect.stringContaining(target), target },
    ]);
  });

  test('GIVEN escaped references in an output, a local and the provider, written with JSON string escapes THEN each is reported where it sits', () => {
    const text =
      '{"output":{"url":{"value":"\\u0024${aws_sns_topic.topic.arn}"}},"locals":{"l":"$\\u0024{aws_sns_topic.topic.id}"},"provider":{"aws":[{"default_tags":[{"tags":{"T":"$${aws_sns_topic.topic.name}"}}]}]}}';
    const json = JSON.parse(text);
    const found = escapedReferences({ ...stack({}), ...json });
    expect(found.map((f) => `${f.address} ${f.attribute}`)).toEqual(['output.url value', 'local.l ', 'provider.aws [0].default_tags[0].tags.T']);
  });
});
