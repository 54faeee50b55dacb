/**
 * Resolves CloudFormation intrinsic functions against local physical resources.
 *
 * The local runtime never deploys the template; it needs the values CloudFormation *would* have produced (a
 * table name in a Lambda environment, a queue URL in an event source mapping…). This resolver evaluates the
 * intrinsics of a synthesized template against a map of local physical ids (see `assignPhysicalIds`).
 *
 * Supported: `Ref` (resources, parameters, pseudo parameters, `AWS::NoValue`), `Fn::GetAtt` (array and
 * `"Logical.Attr"` forms), `Fn::Sub` (string and `[string, variables]` forms, `${!Literal}` escapes),
 * `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::If` with template `Conditions` (`Fn::Equals`, `Fn::Not`, `Fn::And`,
 * `Fn::Or`, `Condition`), `Fn::FindInMap`, `Fn::GetAZs`, `Fn::Base64`, `Fn::ToJsonString`, `Fn::Length`.
 * `Fn::ImportValue` (another stack's export) and any other function raise `UnresolvableError`.
 */
import type { CfnTemplate } from './cloud-assembly';
import { isRecord } from '../shared/json';

/** What a resource resolves to: the value of `Ref` and the values of `Fn::GetAtt`. */
export interface PhysicalResource {
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** The pseudo parameters of the (imaginary) deployment. */
export interface ResolverContext {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly stackName: string;
  readonly stackId: string;
  /** Values for template parameters; a parameter not given here falls back to its `Default`. */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** An intrinsic that cannot be evaluated locally (unknown function, missing resource, import from another stack…). */
export class UnresolvableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnresolvableError';
  }
}

/** A reference to a resource of the template that has no physical id (yet). */
export class MissingPhysicalIdError extends UnresolvableError {
  constructor(readonly logicalId: string) {
    super(`Resource ${logicalId} has no local physical id`);
    this.name = 'MissingPhysicalIdError';
  }
}

/** `Ref: AWS::NoValue` — removes the enclosing property or list element. */
const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
type Resolved = unknown;

const INTRINSIC_KEYS = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::If',
  'Fn::ImportValue',
  'Fn::FindInMap',
  'Fn::GetAZs',
  'Fn::Base64',
  'Fn::ToJsonString',
  'Fn::Length',
]);

/** `{ "Fn::X": … }` or `{ "Ref": … }`: one key, and that key names a function. */
function intrinsicName(value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const [key] = keys;
  return key === 'Ref' || key.startsWith('Fn::') ? key : undefined;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export class IntrinsicResolver {
  private readonly conditions = new Map<string, boolean>();
  private readonly evaluating = new Set<string>();

  constructor(
    private readonly template: CfnTemplate,
    private readonly context: ResolverContext,
    private readonly physical: ReadonlyMap<string, PhysicalResource>,
  ) {}

  /** Resolves every intrinsic in `value`, deeply. `AWS::NoValue` properties and list elements are dropped. */
  resolve(value: unknown): unknown {
    const resolved = this.resolveValue(value);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  /** Resolves `value` and requires a string (numbers and booleans are rendered as CloudFormation would). */
  resolveString(value: unknown): string {
    return this.asString(this.resolve(value), value);
  }

  /** Evaluates a named condition of the template's `Conditions` section. */
  conditionHolds(name: string): boolean {
    const cached = this.conditions.get(name);
    if (cached !== undefined) return cached;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new UnresolvableError(`Condition ${name} is not defined in the template`);
    if (this.evaluating.has(name)) throw new UnresolvableError(`Condition ${name} refers to itself`);
    this.evaluating.add(name);
    try {
      const holds = this.evaluateCondition(definition);
      this.conditions.set(name, holds);
      return holds;
    } finally {
      this.evaluating.delete(name);
    }
  }

  private resolveValue(value: unknown): Resolved {
    if (Array.isArray(value)) {
      return value.map((element) => this.resolveValue(element)).filter((element) => element !== NO_VALUE);
    }
    if (!isRecord(value)) return value;
    const name = intrinsicName(value);
    if (name !== undefined) return this.resolveIntrinsic(name, value[name]);
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const resolved = this.resolveValue(child);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  private resolveIntrinsic(name: string, argument: unknown): Resolved {
    switch (name) {
      case 'Ref':
        return this.ref(this.asString(this.resolveValue(argument), argument));
      case 'Fn::GetAtt':
        return this.getAttFromArgument(argument);
      case 'Fn::Sub':
        return this.sub(argument);
      case 'Fn::Join':
        return this.join(argument);
      case 'Fn::Select':
        return this.select(argument);
      case 'Fn::Split':
        return this.split(argument);
      case 'Fn::If':
        return this.fnIf(argument);
      case 'Fn::FindInMap':
        return this.findInMap(argument);
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((zone) => `${this.context.region}${zone}`);
      case 'Fn::Base64':
        return Buffer.from(this.resolveString(argument), 'utf8').toString('base64');
      case 'Fn::ToJsonString':
        return JSON.stringify(this.resolve(argument));
      case 'Fn::Length':
        return this.asList(this.resolveValue(argument), argument).length;
      case 'Fn::ImportValue':
        throw new UnresolvableError(
          `Fn::ImportValue ${describe(argument)} refers to another stack's export, which the local runtime does not have`,
        );
      default:
        throw new UnresolvableError(`${name} is not supported by the local runtime (in ${describe(argument)})`);
    }
  }

  private ref(name: string): Resolved {
    if (name.startsWith('AWS::')) return this.pseudoParameter(name);
    const parameter = this.template.Parameters?.[name];
    if (parameter !== undefined) return this.parameterValue(name, parameter);
    const resource = this.physical.get(name);
    if (resource !== undefined) return resource.ref;
    if (this.template.Resources[name] !== undefined) throw new MissingPhysicalIdError(name);
    throw new UnresolvableError(`Ref to ${name}, which is neither a resource, a parameter nor a pseudo parameter`);
  }

  private pseudoParameter(name: string): Resolved {
    const { region, accountId, partition, urlSuffix, stackName, stackId } = this.context;
    switch (name) {
      case 'AWS::Region':
        return region;
      case 'AWS::AccountId':
        return accountId;
      case 'AWS::Partition':
        return partition;
      case 'AWS::URLSuffix':
        return urlSuffix;
      case 'AWS::StackName':
        return stackName;
      case 'AWS::StackId':
        return stackId;
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        throw new UnresolvableError(`Unknown pseudo parameter ${name}`);
    }
  }

  private parameterValue(name: string, parameter: { readonly Type: string; readonly Default?: unknown }): Resolved {
    const given = this.context.parameters?.[name];
    const value = given ?? parameter.Default;
    if (value === undefined) throw new UnresolvableError(`Parameter ${name} has no value and no Default`);
    const text = this.asString(value, value);
    const isList = parameter.Type === 'CommaDelimitedList' || parameter.Type.startsWith('List<');
    return isList ? text.split(',').map((item) => item.trim()) : text;
  }

  private getAttFromArgument(argument: unknown): Resolved {
    if (typeof argument === 'string') {
      const dot = argument.indexOf('.');
      if (dot <= 0) throw new UnresolvableError(`Fn::GetAtt "${argument}" is not of the form "LogicalId.Attribute"`);
      return this.getAtt(argument.slice(0, dot), argument.slice(dot + 1));
    }
    if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string') {
      throw new UnresolvableError(`Fn::GetAtt expects [LogicalId, Attribute], got ${describe(argument)}`);
    }
    return this.getAtt(argument[0], this.resolveString(argument[1]));
  }

  private getAtt(logicalId: string, attribute: string): string {
    const resource = this.physical.get(logicalId);
    if (resource === undefined) {
      if (this.template.Resources[logicalId] !== undefined) throw new MissingPhysicalIdError(logicalId);
      throw new UnresolvableError(`Fn::GetAtt on ${logicalId}, which is not a resource of the template`);
    }
    const value = resource.attributes[attribute];
    if (value === undefined) {
      const type = this.template.Resources[logicalId]?.Type ?? 'unknown type';
      const known = Object.keys(resource.attributes).join(', ') || 'none';
      throw new UnresolvableError(
        `Fn::GetAtt ${logicalId}.${attribute}: the local runtime has no ${attribute} for ${type} (it has: ${known})`,
      );
    }
    return value;
  }

  private sub(argument: unknown): string {
    let text: unknown = argument;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(argument)) {
      if (argument.length !== 2 || !isRecord(argument[1])) {
        throw new UnresolvableError(`Fn::Sub expects a string or [string, variables], got ${describe(argument)}`);
      }
      [text, variables] = [argument[0], argument[1]];
    }
    if (typeof text !== 'string') throw new UnresolvableError(`Fn::Sub expects a string, got ${describe(text)}`);
    return text.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      if (Object.prototype.hasOwnProperty.call(variables, name)) return this.resolveString(variables[name]);
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::') && this.template.Parameters?.[name] === undefined) {
        return this.getAtt(name.slice(0, dot), name.slice(dot + 1));
      }
      return this.asString(this.ref(name), inner);
    });
  }

  private join(argument: unknown): string {
    if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string') {
      throw new UnresolvableError(`Fn::Join expects [delimiter, list], got ${describe(argument)}`);
    }
    const [delimiter, list] = argument;
    return this.asList(this.resolveValue(list), list)
      .map((element) => this.asString(element, list))
      .join(delimiter);
  }

  private select(argument: unknown): Resolved {
    if (!Array.isArray(argument) || argument.length !== 2) {
      throw new UnresolvableError(`Fn::Select expects [index, list], got ${describe(argument)}`);
    }
    const index = Number(this.resolve(argument[0]));
    const list = this.asList(this.resolveValue(argument[1]), argument[1]);
    if (!Number.isInteger(index) || index < 0 || index >= list.length) {
      throw new UnresolvableError(`Fn::Select index ${describe(argument[0])} is out of range for a list of ${list.length}`);
    }
    return list[index];
  }

  private split(argument: unknown): string[] {
    if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string') {
      throw new UnresolvableError(`Fn::Split expects [delimiter, string], got ${describe(argument)}`);
    }
    return this.resolveString(argument[1]).split(argument[0]);
  }

  private fnIf(argument: unknown): Resolved {
    if (!Array.isArray(argument) || argument.length !== 3 || typeof argument[0] !== 'string') {
      throw new UnresolvableError(`Fn::If expects [condition, whenTrue, whenFalse], got ${describe(argument)}`);
    }
    return this.resolveValue(this.conditionHolds(argument[0]) ? argument[1] : argument[2]);
  }

  private findInMap(argument: unknown): Resolved {
    if (!Array.isArray(argument) || argument.length < 3) {
      throw new UnresolvableError(`Fn::FindInMap expects [map, topKey, secondKey], got ${describe(argument)}`);
    }
    const [mapName, topKey, secondKey] = argument.slice(0, 3).map((part: unknown) => this.resolveString(part));
    const found = this.template.Mappings?.[mapName]?.[topKey]?.[secondKey];
    if (found !== undefined) return this.resolveValue(found);
    const options: unknown = argument[3];
    if (isRecord(options) && options.DefaultValue !== undefined) return this.resolveValue(options.DefaultValue);
    throw new UnresolvableError(`Fn::FindInMap: ${mapName}.${topKey}.${secondKey} is not in the template's Mappings`);
  }

  private evaluateCondition(value: unknown): boolean {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    if (isRecord(value) && Object.keys(value).length === 1) {
      const [[name, argument]] = Object.entries(value);
      const operands = (count?: number): unknown[] => {
        if (!Array.isArray(argument) || (count !== undefined && argument.length !== count)) {
          throw new UnresolvableError(`${name} expects ${count ?? 'a list of'} operands, got ${describe(argument)}`);
        }
        return argument;
      };
      switch (name) {
        case 'Condition':
          return this.conditionHolds(this.asString(argument, argument));
        case 'Fn::Equals': {
          const [left, right] = operands(2).map((operand) => this.resolve(operand));
          return JSON.stringify(left) === JSON.stringify(right) || String(left) === String(right);
        }
        case 'Fn::Not':
          return !this.evaluateCondition(operands(1)[0]);
        case 'Fn::And':
          return operands().every((operand) => this.evaluateCondition(operand));
        case 'Fn::Or':
          return operands().some((operand) => this.evaluateCondition(operand));
        default:
          if (INTRINSIC_KEYS.has(name)) return this.evaluateCondition(this.resolve(value));
      }
    }
    throw new UnresolvableError(`Not a condition: ${describe(value)}`);
  }

  private asString(value: unknown, source: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new UnresolvableError(`Expected a string from ${describe(source)}, got ${describe(value)}`);
  }

  private asList(value: unknown, source: unknown): unknown[] {
    if (Array.isArray(value)) return value;
    throw new UnresolvableError(`Expected a list from ${describe(source)}, got ${describe(value)}`);
  }
}
