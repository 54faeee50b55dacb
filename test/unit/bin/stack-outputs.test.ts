import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseStackOutputs, readStackOutputs, requireOutput, StackOutputsError } from '../../../bin/stack-outputs';

const file = (text: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'stack-outputs-'));
  writeFileSync(path.join(dir, 'cdk-outputs.json'), text);
  return path.join(dir, 'cdk-outputs.json');
};

describe('parseStackOutputs', () => {
  it('picks the only stack of a `cdk deploy --outputs-file` file', () => {
    const stack = parseStackOutputs(JSON.stringify({ HybridShop: { PublicApiUrl: 'https://x/prod/', Ignored: 3 } }), 'f.json');
    expect(stack).toEqual({ stackName: 'HybridShop', outputs: { PublicApiUrl: 'https://x/prod/' }, source: 'f.json' });
  });

  it('picks the stack SHOP_STACK names among several, and asks for it when there are several', () => {
    const text = JSON.stringify({ ShopA: { X: 'a' }, ShopB: { X: 'b' } });
    expect(parseStackOutputs(text, 'f.json', 'ShopB').outputs).toEqual({ X: 'b' });
    expect(() => parseStackOutputs(text, 'f.json')).toThrow(/f.json holds 2 stacks \(ShopA, ShopB\): pick one with SHOP_STACK/);
    expect(() => parseStackOutputs(text, 'f.json', 'ShopC')).toThrow(/f.json has no stack ShopC \(SHOP_STACK\); it has: ShopA, ShopB/);
  });

  it('rejects a file that is not JSON or not an outputs file, saying how to write one', () => {
    expect(() => parseStackOutputs('{', 'f.json')).toThrow(/f.json is not JSON .*cdk deploy --outputs-file/);
    expect(() => parseStackOutputs('[]', 'f.json')).toThrow(StackOutputsError);
    expect(() => parseStackOutputs('{}', 'f.json')).toThrow(/holds no stack/);
    expect(() => parseStackOutputs('{"HybridShop": 1}', 'f.json')).toThrow(/stack HybridShop holds no outputs object/);
  });
});

describe('readStackOutputs', () => {
  it('reads a file', () => {
    expect(readStackOutputs(file('{"HybridShop": {"A": "1"}}')).outputs).toEqual({ A: '1' });
  });

  it('names the file and every command that writes one when it is missing', () => {
    expect(() => readStackOutputs('/nowhere/cdk-outputs.json')).toThrow(
      /no outputs file at \/nowhere\/cdk-outputs.json: write it with `npx cdk deploy --outputs-file cdk-outputs.json`.*npm run deploy:local.*npm start/,
    );
  });
});

describe('requireOutput', () => {
  it('names the missing output, the stack and the file', () => {
    const stack = parseStackOutputs('{"HybridShop": {"A": "1", "Empty": ""}}', 'out.json');
    expect(requireOutput(stack, 'A')).toBe('1');
    expect(() => requireOutput(stack, 'OrdersTableName')).toThrow(/stack HybridShop in out.json has no output OrdersTableName: redeploy/);
    expect(() => requireOutput(stack, 'Empty')).toThrow(/no output Empty/);
  });
});
