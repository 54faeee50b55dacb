/**
 * What a rule's target receives ("Transforming Amazon EventBridge target input"): the whole event by default, or
 * the target's constant `Input`, or the part of the event its `InputPath` selects, or its `InputTransformer`'s
 * template with `<variable>` placeholders filled from `InputPathsMap` and the predefined variables
 * `aws.events.rule-arn`, `aws.events.rule-name`, `aws.events.event`, `aws.events.event.json` and
 * `aws.events.event.ingestion-time`.
 *
 * Placeholders inside a JSON string (`"state": "<state>"`) get the value's text as it is (EventBridge does not escape
 * it); elsewhere in a JSON template (`"state": <state>`) they get the value as JSON. A template that is not JSON is
 * plain text: strings go in as they are, other values as JSON. A variable whose path matches nothing is left out
 * (empty text inside a string, `null` in a JSON position).
 */
import { evaluateJsonPath } from './json-path';

/** The input settings of one target (AWS::Events::Rule Target). */
export interface TargetInputSettings {
  /** Constant JSON text passed instead of the event. */
  readonly input?: string;
  /** JSONPath of the part of the event to pass. */
  readonly inputPath?: string;
  readonly inputTransformer?: {
    /** Variable name → JSONPath. */
    readonly inputPathsMap?: Readonly<Record<string, string>>;
    readonly inputTemplate: string;
  };
}

/** What the predefined variables refer to. */
export interface TransformContext {
  readonly ruleArn: string;
  readonly ruleName: string;
  /** When EventBridge received the event (ISO-8601). */
  readonly ingestionTime: string;
}

const PLACEHOLDER = /<([A-Za-z0-9_.-]+)>/g;

/** The text the target receives for `event`. */
export function targetInput(settings: TargetInputSettings, event: unknown, context: TransformContext): string {
  if (settings.input !== undefined) return settings.input;
  if (settings.inputPath !== undefined) {
    const selected = evaluateJsonPath(settings.inputPath, event);
    return JSON.stringify(selected.found ? selected.value : null);
  }
  if (settings.inputTransformer !== undefined) return transform(settings.inputTransformer, event, context);
  return JSON.stringify(event);
}

function transform(transformer: NonNullable<TargetInputSettings['inputTransformer']>, event: unknown, context: TransformContext): string {
  const variables = new Map<string, { found: boolean; value?: unknown }>([
    ['aws.events.rule-arn', { found: true, value: context.ruleArn }],
    ['aws.events.rule-name', { found: true, value: context.ruleName }],
    ['aws.events.event.ingestion-time', { found: true, value: context.ingestionTime }],
    ['aws.events.event', { found: true, value: event }],
    ['aws.events.event.json', { found: true, value: event }],
  ]);
  for (const [name, path] of Object.entries(transformer.inputPathsMap ?? {})) {
    if (!variables.has(name)) variables.set(name, evaluateJsonPath(path, event));
  }
  const template = transformer.inputTemplate;
  const json = isJsonTemplate(template, variables);
  let output = '';
  let inString = false;
  let last = 0;
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if (char === '\\' && inString) {
      i++;
      continue;
    }
    if (char === '"') {
      inString = !inString;
      continue;
    }
    if (char !== '<') continue;
    PLACEHOLDER.lastIndex = i;
    const match = PLACEHOLDER.exec(template);
    if (!match || match.index !== i || !variables.has(match[1])) continue;
    const variable = variables.get(match[1]) ?? { found: false };
    output += template.slice(last, i) + render(variable, inString, json);
    last = i + match[0].length;
    i = last - 1;
  }
  return output + template.slice(last);
}

function render(variable: { found: boolean; value?: unknown }, inString: boolean, json: boolean): string {
  if (!variable.found) return inString || !json ? '' : 'null';
  const { value } = variable;
  if (typeof value === 'string' && (inString || !json)) return value;
  return JSON.stringify(value ?? null);
}

/** Whether the template is a JSON document once its placeholders are filled in. */
function isJsonTemplate(template: string, variables: ReadonlyMap<string, unknown>): boolean {
  const filled = template.replace(PLACEHOLDER, (whole, name: string) => (variables.has(name) ? 'null' : whole));
  try {
    JSON.parse(filled);
    return true;
  } catch {
    return false;
  }
}
