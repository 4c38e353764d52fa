'use strict';
// Stub of `aws dynamodb` for the local buildspec runs: the release ledger as one JSON file per
// item under $STUB_STATE/ledger, with the conditional writes the buildspecs rely on
// (attribute_not_exists on put-item, CommitId = :commit on update-item). Exit 254 is the AWS
// CLI's exit code for a failed service call (ConditionalCheckFailedException).
const fs = require('node:fs');
const path = require('node:path');
const { Buffer } = require('node:buffer');

const args = process.argv.slice(2);
const command = args[0];
const option = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const dir = path.join(process.env.STUB_STATE, 'ledger');
fs.mkdirSync(dir, { recursive: true });
const fileOf = (key) => path.join(dir, `${Buffer.from(key.ReleaseTag.S).toString('hex')}.json`);
const conditionFailed = () => {
  process.stderr.write(`An error occurred (ConditionalCheckFailedException) when calling the ${command} operation: The conditional request failed\n`);
  process.exit(254);
};

switch (command) {
  case 'put-item': {
    const item = JSON.parse(option('--item'));
    const file = fileOf(item);
    if (option('--condition-expression') !== 'attribute_not_exists(ReleaseTag)') throw new Error('put-item without the ledger condition');
    if (fs.existsSync(file)) conditionFailed();
    fs.writeFileSync(file, JSON.stringify(item));
    break;
  }
  case 'get-item': {
    const file = fileOf(JSON.parse(option('--key')));
    const item = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
    if (option('--query') === 'Item.CommitId.S') process.stdout.write(`${item === undefined ? 'None' : item.CommitId.S}\n`);
    else process.stdout.write(JSON.stringify(item === undefined ? {} : { Item: item }));
    break;
  }
  case 'update-item': {
    const file = fileOf(JSON.parse(option('--key')));
    const values = JSON.parse(option('--expression-attribute-values'));
    if (!fs.existsSync(file)) conditionFailed();
    const item = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (item.CommitId.S !== values[':commit'].S) conditionFailed();
    fs.writeFileSync(file, JSON.stringify({ ...item, Status: values[':applied'], AppliedAt: values[':at'] }));
    break;
  }
  case 'scan': {
    const items = fs
      .readdirSync(dir)
      .sort()
      .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    process.stdout.write(JSON.stringify({ Items: items, Count: items.length }));
    break;
  }
  default:
    process.stderr.write(`aws dynamodb stub: unexpected call: ${args.join(' ')}\n`);
    process.exit(1);
}
