import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assemblyTemplate, CapacityArgsError, parseCapacityArgs, readDurations } from '../../../bin/capacity';

describe('parseCapacityArgs', () => {
  it('takes one rate or several, in order, and defaults to synthesizing the prod stage with the default mix', () => {
    expect(parseCapacityArgs(['--orders-per-second', '200'])).toEqual({ ordersPerSecond: [200], stage: 'prod', sized: false, mix: {} });
    expect(parseCapacityArgs(['--orders-per-second', '2000,10,200']).ordersPerSecond).toEqual([10, 200, 2000]);
  });

  it('reads the mix, the stage, --sized and --durations', () => {
    const args = parseCapacityArgs([
      '--orders-per-second=50',
      '--stage',
      'dev',
      '--sized',
      '--durations',
      'd.json',
      '--async-share',
      '0.5',
      '--hot-sku-share',
      '0.25',
      '--lines-per-order',
      '3',
    ]);

    expect(args).toEqual({ ordersPerSecond: [50], stage: 'dev', sized: true, durations: 'd.json', mix: { asyncShare: 0.5, hotSkuShare: 0.25, linesPerOrder: 3 } });
  });

  it('asks for --orders-per-second when it is missing', () => {
    expect(() => parseCapacityArgs([])).toThrow(/--orders-per-second is missing: give the rate of orders to weigh/);
  });

  it.each([
    [['--orders-per-second', '-5'], "--orders-per-second is '-5': give a rate above 0"],
    [['--orders-per-second', '0'], "--orders-per-second is '0': give a rate above 0"],
    [['--orders-per-second', 'fast'], "--orders-per-second is 'fast': give a number"],
    [['--orders-per-second', '10,'], "--orders-per-second is '': give a number"],
    [['--orders-per-second', '10', '--async-share', 'half'], "--async-share is 'half': give a number"],
  ])('refuses %j, naming the flag and its value', (argv, message) => {
    expect(() => parseCapacityArgs(argv)).toThrow(message);
  });

  it('refuses an unknown flag, a flag without its value, and flags that contradict each other', () => {
    expect(() => parseCapacityArgs(['--orders-per-second', '10', '--rate', '5'])).toThrow(CapacityArgsError);
    expect(() => parseCapacityArgs(['--orders-per-second'])).toThrow(CapacityArgsError);
    expect(() => parseCapacityArgs(['--orders-per-second', '10', '--assembly', 'cdk.out', '--sized'])).toThrow(/--sized synthesizes the stack; it cannot read --assembly/);
    expect(() => parseCapacityArgs(['--orders-per-second', '10', '--stack', 'HybridShop'])).toThrow(/--stack picks a stack of --assembly/);
    expect(() => parseCapacityArgs(['--orders-per-second', '10', '--stage', 'Prod'])).toThrow(/--stage: [\s\S]*stage is 'Prod'/);
  });
});

describe('assemblyTemplate', () => {
  let dir: string;
  const writeAssembly = (stacks: readonly string[]) => {
    const artifacts = Object.fromEntries(stacks.map((name) => [name, { type: 'aws:cloudformation:stack', properties: { templateFile: `${name}.template.json` } }]));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ artifacts: { ...artifacts, Tree: { type: 'cdk:tree' } } }));
    for (const name of stacks) fs.writeFileSync(path.join(dir, `${name}.template.json`), JSON.stringify({ Resources: { [`${name}Queue`]: { Type: 'AWS::SQS::Queue' } } }));
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capacity-assembly-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads the assembly's only stack, or the one --stack names", () => {
    writeAssembly(['HybridShop']);
    expect(assemblyTemplate(dir).template.Resources).toHaveProperty('HybridShopQueue');

    writeAssembly(['HybridShop', 'HybridShop-dev']);
    expect(assemblyTemplate(dir, 'HybridShop-dev').file).toBe(path.join(dir, 'HybridShop-dev.template.json'));
  });

  it('asks for --stack among several, and names the stacks there are', () => {
    writeAssembly(['HybridShop', 'HybridShop-dev']);

    expect(() => assemblyTemplate(dir)).toThrow(/holds 2 stacks \(HybridShop, HybridShop-dev\): pick one with --stack/);
    expect(() => assemblyTemplate(dir, 'HybridShop-qa')).toThrow(/has no stack HybridShop-qa; it holds HybridShop, HybridShop-dev/);
  });

  it('says what to give when the directory is no assembly', () => {
    expect(() => assemblyTemplate(dir)).toThrow(/has no manifest.json: give the directory `cdk synth -o` wrote/);
  });
});

describe('readDurations', () => {
  it('refuses a file that is not an object of milliseconds by function name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capacity-durations-'));
    const file = path.join(dir, 'durations.json');
    try {
      fs.writeFileSync(file, JSON.stringify({ OrdersTimelineProjectorFunction: 9 }));
      expect(readDurations(file)).toEqual({ OrdersTimelineProjectorFunction: 9 });

      fs.writeFileSync(file, JSON.stringify({ OrdersTimelineProjectorFunction: '9 ms' }));
      expect(() => readDurations(file)).toThrow(/give an object of milliseconds by function name/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
