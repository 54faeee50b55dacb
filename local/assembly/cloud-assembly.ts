/**
 * Reads a synthesized CDK cloud assembly (`cdk.out`): every CloudFormation stack artifact, its template, and the
 * asset manifests that say where each Lambda function's bundled code lives.
 *
 * Layout of an assembly (cloud assembly schema, as `cdk synth` writes it):
 * - `manifest.json`: `artifacts`, keyed by id; stacks have `type: "aws:cloudformation:stack"` and
 *   `properties.templateFile`; their `dependencies` name the `cdk:asset-manifest` artifacts (`<stack>.assets.json`).
 *   Stages are nested assemblies (`type: "cdk:cloud-assembly"`, `properties.directoryName`).
 * - `<stack>.assets.json`: `files[<hash>]` with `source.path` (the bundled folder, relative to the assembly) and
 *   `destinations[*].objectKey` (`<hash>.zip`), which is what the function's `Code.S3Key` holds.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { readonly Value: unknown; readonly Description?: string }>;
  readonly Parameters?: Record<string, { readonly Type: string; readonly Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface StackArtifact {
  readonly stackName: string;
  readonly template: CfnTemplate;
  readonly assemblyDir: string;
  /** Account of the stack's environment, when the app pinned one. */
  readonly account?: string;
  /** Region of the stack's environment, when the app pinned one (templates then hard-code it in ARNs). */
  readonly region?: string;
  /** Absolute folder of a Lambda function's bundled code, from its `Code` property (S3Key `<hash>.zip` → the assets manifest). */
  lambdaCodeDir(logicalId: string): string;
}

/** The assembly is missing, malformed, or does not describe what was asked. */
export class CloudAssemblyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloudAssemblyError';
  }
}

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly file?: string;
    readonly directoryName?: string;
  };
  readonly dependencies?: readonly string[];
}

interface AssemblyManifest {
  readonly artifacts?: Record<string, ManifestArtifact>;
}

interface FileAsset {
  readonly source: { readonly path?: string; readonly packaging?: string };
  readonly destinations?: Record<string, { readonly objectKey?: string }>;
}

interface AssetManifest {
  readonly files?: Record<string, FileAsset>;
}

function readJson<T>(file: string): T {
  if (!existsSync(file)) throw new CloudAssemblyError(`${file} does not exist (run \`cdk synth\` first?)`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new CloudAssemblyError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** `aws://123456789012/eu-west-1` → its account and region; `unknown-account` / `unknown-region` → undefined. */
function parseEnvironment(environment: string | undefined): { account?: string; region?: string } {
  const match = /^aws:\/\/([^/]+)\/([^/]+)$/.exec(environment ?? '');
  if (match === null) return {};
  const [, account, region] = match;
  return {
    ...(account === 'unknown-account' ? {} : { account }),
    ...(region === 'unknown-region' ? {} : { region }),
  };
}

class LoadedStack implements StackArtifact {
  constructor(
    readonly stackName: string,
    readonly template: CfnTemplate,
    readonly assemblyDir: string,
    private readonly assets: ReadonlyMap<string, FileAsset>,
    readonly account?: string,
    readonly region?: string,
  ) {}

  lambdaCodeDir(logicalId: string): string {
    const resource = this.template.Resources[logicalId];
    if (resource === undefined) throw new CloudAssemblyError(`${this.stackName} has no resource ${logicalId}`);
    if (resource.Type !== 'AWS::Lambda::Function') {
      throw new CloudAssemblyError(`${this.stackName}/${logicalId} is a ${resource.Type}, not an AWS::Lambda::Function`);
    }
    const code = resource.Properties?.Code;
    if (typeof code === 'object' && code !== null && 'ZipFile' in code) {
      throw new CloudAssemblyError(`${this.stackName}/${logicalId} has inline code (Code.ZipFile), not a bundled asset`);
    }
    const folder = this.folderFromS3Key(code) ?? this.folderFromMetadata(resource);
    if (folder === undefined) {
      throw new CloudAssemblyError(
        `${this.stackName}/${logicalId}: Code ${JSON.stringify(code)} matches no file asset of the assembly`,
      );
    }
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new CloudAssemblyError(`${this.stackName}/${logicalId}: code folder ${folder} does not exist or is not a folder`);
    }
    return folder;
  }

  /** The S3Key is `<hash>.zip` (possibly inside an intrinsic, with a prefix): find the asset whose object key it is. */
  private folderFromS3Key(code: unknown): string | undefined {
    if (typeof code !== 'object' || code === null || !('S3Key' in code)) return undefined;
    const key = JSON.stringify(code.S3Key);
    for (const [hash, asset] of this.assets) {
      const objectKeys = Object.values(asset.destinations ?? {}).map((destination) => destination.objectKey);
      const matches = objectKeys.some((objectKey) => objectKey !== undefined && key.includes(objectKey)) || key.includes(hash);
      if (matches && asset.source.path !== undefined) return resolve(this.assemblyDir, asset.source.path);
    }
    return undefined;
  }

  /** `aws:asset:path` metadata, which the CDK CLI adds (context `aws:cdk:enableAssetMetadata`). */
  private folderFromMetadata(resource: CfnResource): string | undefined {
    const assetPath = resource.Metadata?.['aws:asset:path'];
    return typeof assetPath === 'string' ? resolve(this.assemblyDir, assetPath) : undefined;
  }
}

/** A stack of an assembly, and the environment it is pinned to, if any. */
export interface StackEnvironment {
  readonly stackName: string;
  readonly account?: string;
  readonly region?: string;
}

/**
 * The stacks of the assembly in `assemblyDir` and their environments, from its manifests alone (no template is read):
 * where a stack will run, known before the rest of the runtime loads. Throws CloudAssemblyError.
 */
export function stackEnvironments(assemblyDir: string): StackEnvironment[] {
  const directory = resolve(assemblyDir);
  const stacks: StackEnvironment[] = [];
  for (const [artifactId, artifact] of Object.entries(readJson<AssemblyManifest>(join(directory, 'manifest.json')).artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName !== undefined) {
      stacks.push(...stackEnvironments(join(directory, artifact.properties.directoryName)));
    } else if (artifact.type === 'aws:cloudformation:stack') {
      stacks.push({ stackName: artifact.properties?.stackName ?? artifactId, ...parseEnvironment(artifact.environment) });
    }
  }
  return stacks;
}

/** Every `aws:cloudformation:stack` artifact of the assembly in `assemblyDir`, nested stage assemblies included. */
export function loadCloudAssembly(assemblyDir: string): StackArtifact[] {
  const directory = resolve(assemblyDir);
  const manifest = readJson<AssemblyManifest>(join(directory, 'manifest.json'));
  const artifacts = manifest.artifacts ?? {};
  const stacks: StackArtifact[] = [];
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName !== undefined) {
      stacks.push(...loadCloudAssembly(join(directory, artifact.properties.directoryName)));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const templateFile = artifact.properties?.templateFile;
    if (templateFile === undefined) throw new CloudAssemblyError(`Stack artifact ${artifactId} has no templateFile`);
    const template = readJson<CfnTemplate>(join(directory, templateFile));
    if (typeof template.Resources !== 'object' || template.Resources === null) {
      throw new CloudAssemblyError(`${templateFile} has no Resources section`);
    }
    const { account, region } = parseEnvironment(artifact.environment);
    const stackName = artifact.properties?.stackName ?? artifactId;
    stacks.push(new LoadedStack(stackName, template, directory, assetsOf(directory, artifactId, artifact, artifacts), account, region));
  }
  return stacks;
}

/** File assets of a stack: its `cdk:asset-manifest` dependencies, or `<artifactId>.assets.json` by convention. */
function assetsOf(
  directory: string,
  artifactId: string,
  artifact: ManifestArtifact,
  artifacts: Record<string, ManifestArtifact>,
): Map<string, FileAsset> {
  const manifestFiles = (artifact.dependencies ?? [])
    .map((dependency) => artifacts[dependency])
    .filter((dependency) => dependency?.type === 'cdk:asset-manifest' && dependency.properties?.file !== undefined)
    .map((dependency) => join(directory, dependency.properties?.file ?? ''));
  const conventional = join(directory, `${artifactId}.assets.json`);
  if (manifestFiles.length === 0 && existsSync(conventional)) manifestFiles.push(conventional);
  const assets = new Map<string, FileAsset>();
  for (const file of manifestFiles) {
    for (const [hash, asset] of Object.entries(readJson<AssetManifest>(file).files ?? {})) assets.set(hash, asset);
  }
  return assets;
}

/** What of a cloud assembly the runtime reads: its files (manifests and templates) and the file assets they name. */
export interface AssemblyContents {
  /** Absolute paths: `manifest.json`, each stack's template, each asset manifest, nested assemblies' too. */
  readonly files: readonly string[];
  /** Absolute paths of the file assets (the Lambda bundles' folders). */
  readonly assets: readonly string[];
}

/**
 * The files and file assets of the assembly in `assemblyDir` that `loadCloudAssembly` and the functions read: what
 * must be there, as it was, for a synthesized assembly to be run again. Throws CloudAssemblyError when the manifest or
 * an asset manifest is missing or not JSON; templates and assets are listed, not checked.
 */
export function assemblyContents(assemblyDir: string): AssemblyContents {
  const directory = resolve(assemblyDir);
  const manifestFile = join(directory, 'manifest.json');
  const files = [manifestFile];
  const assets: string[] = [];
  for (const artifact of Object.values(readJson<AssemblyManifest>(manifestFile).artifacts ?? {})) {
    const properties = artifact.properties ?? {};
    if (artifact.type === 'cdk:cloud-assembly' && properties.directoryName !== undefined) {
      const nested = assemblyContents(join(directory, properties.directoryName));
      files.push(...nested.files);
      assets.push(...nested.assets);
    } else if (artifact.type === 'aws:cloudformation:stack' && properties.templateFile !== undefined) {
      files.push(join(directory, properties.templateFile));
    } else if (artifact.type === 'cdk:asset-manifest' && properties.file !== undefined) {
      const file = join(directory, properties.file);
      files.push(file);
      for (const asset of Object.values(readJson<AssetManifest>(file).files ?? {})) {
        if (asset.source.path !== undefined) assets.push(resolve(directory, asset.source.path));
      }
    }
  }
  return { files, assets };
}
