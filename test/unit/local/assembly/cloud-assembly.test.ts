import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudAssemblyError, loadCloudAssembly, type StackArtifact } from '../../../../local/assembly/cloud-assembly';

const FIXTURE = join(__dirname, 'fixtures', 'shop-assembly');

function stackNamed(stacks: StackArtifact[], name: string): StackArtifact {
  const stack = stacks.find((candidate) => candidate.stackName === name);
  if (stack === undefined) throw new Error(`no stack ${name} in ${stacks.map((s) => s.stackName).join(', ')}`);
  return stack;
}

describe('loadCloudAssembly', () => {
  it('reads every stack artifact, nested stage assemblies included', () => {
    // Act
    const stacks = loadCloudAssembly(FIXTURE);

    // Assess
    expect(stacks.map((stack) => stack.stackName).sort()).toEqual(['ProdShop', 'shop-test']);
  });

  it('names a stack by its stackName property, and by its artifact id without one', () => {
    // Act
    const stacks = loadCloudAssembly(FIXTURE);

    // Assess
    expect(stackNamed(stacks, 'shop-test').template.Resources.Orders.Type).toBe('AWS::DynamoDB::Table');
    expect(stackNamed(stacks, 'ProdShop').template.Resources.Queue.Type).toBe('AWS::SQS::Queue');
  });

  it('reads the template with its outputs', () => {
    // Act
    const stack = stackNamed(loadCloudAssembly(FIXTURE), 'shop-test');

    // Assess
    expect(stack.template.Outputs?.OrdersTable.Value).toEqual({ Ref: 'Orders' });
    expect(stack.assemblyDir).toBe(FIXTURE);
  });

  it('reports the environment region and account only when the app pinned them', () => {
    // Act
    const stacks = loadCloudAssembly(FIXTURE);

    // Assess
    expect(stackNamed(stacks, 'shop-test')).toMatchObject({ region: 'eu-west-1', account: undefined });
    expect(stackNamed(stacks, 'ProdShop')).toMatchObject({ region: 'us-east-1', account: '123456789012' });
  });

  it('finds a function bundle from its S3Key through the stack assets manifest', () => {
    // Prepare
    const stack = stackNamed(loadCloudAssembly(FIXTURE), 'shop-test');

    // Act
    const folder = stack.lambdaCodeDir('Handler886CB40B');

    // Assess
    expect(folder).toBe(join(FIXTURE, 'asset.1111111111111111111111111111111111111111111111111111111111111111'));
  });

  it('finds a function bundle whose S3Key is inside an intrinsic, with the conventional assets file', () => {
    // Prepare
    const stack = stackNamed(loadCloudAssembly(FIXTURE), 'ProdShop');

    // Act
    const folder = stack.lambdaCodeDir('Worker');

    // Assess
    expect(folder).toBe(join(FIXTURE, 'stage', 'asset.2222222222222222222222222222222222222222222222222222222222222222'));
  });

  it('rejects a code lookup for inline code, another resource type or an unknown resource', () => {
    // Prepare
    const stack = stackNamed(loadCloudAssembly(FIXTURE), 'shop-test');

    // Act & Assess
    expect(() => stack.lambdaCodeDir('InlineHandler')).toThrow(/inline code/);
    expect(() => stack.lambdaCodeDir('Orders')).toThrow(/not an AWS::Lambda::Function/);
    expect(() => stack.lambdaCodeDir('Nope')).toThrow(CloudAssemblyError);
  });

  describe('with a broken assembly', () => {
    let directory: string;

    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), 'assembly-'));
    });

    afterEach(() => {
      rmSync(directory, { recursive: true, force: true });
    });

    it('rejects a folder without manifest.json, naming the file', () => {
      // Act & Assess
      expect(() => loadCloudAssembly(directory)).toThrow(/manifest\.json does not exist/);
    });

    it('rejects a template that is not JSON', () => {
      // Prepare
      const manifest = { artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' } } } };
      writeFileSync(join(directory, 'manifest.json'), JSON.stringify(manifest));
      writeFileSync(join(directory, 'S.template.json'), '{ not json');

      // Act & Assess
      expect(() => loadCloudAssembly(directory)).toThrow(/S\.template\.json is not valid JSON/);
    });

    it('rejects a function whose asset is not in the assets manifest', () => {
      // Prepare
      const manifest = { artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' } } } };
      const template = {
        Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Bucket: 'b', S3Key: 'abc.zip' } } } },
      };
      writeFileSync(join(directory, 'manifest.json'), JSON.stringify(manifest));
      writeFileSync(join(directory, 'S.template.json'), JSON.stringify(template));

      // Act & Assess
      expect(() => loadCloudAssembly(directory)[0].lambdaCodeDir('Fn')).toThrow(/matches no file asset/);
    });
  });
});
