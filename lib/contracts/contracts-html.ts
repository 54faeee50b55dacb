/**
 * A readable, self-contained rendering of the contracts (`docs/contracts/index.html`): every operation of each
 * OpenAPI document with its security, parameters, request body, responses and examples, then every event's schema.
 * One HTML file with its own CSS: no script, no CDN, nothing to build. It renders the subset of OpenAPI and JSON
 * Schema the generator writes, not any document.
 */
import type { JsonSchema } from './json-schema';

export interface RenderedApi {
  /** The anchor of its section, and the name of its JSON file without the extension. */
  readonly slug: string;
  readonly file: string;
  readonly document: JsonSchema;
}

export interface RenderedEvent {
  readonly detailType: string;
  readonly file: string;
  readonly schema: JsonSchema;
}

type Json = { readonly [key: string]: unknown };

const escape = (text: unknown): string =>
  String(text).replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

const asObject = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const entries = (value: unknown): [string, Json][] => Object.entries(asObject(value)).map(([key, item]) => [key, asObject(item)]);
/** Inline `code` in a description, the only markup the generator's texts use. */
const prose = (text: unknown): string => escape(text ?? '').replace(/`([^`]+)`/g, '<code>$1</code>');
const pretty = (value: unknown): string => `<pre>${escape(JSON.stringify(value, null, 2))}</pre>`;

/** The anchor of a component schema of the API `slug`: each API's `Problem` has its own. */
const schemaAnchor = (slug: string, name: string): string => `schema-${slug}-${name}`;

/** The constraints of a schema, in words: `integer ≥ 1 ≤ 10`, `string matching ^…$`; a `$ref` links into API `slug`. */
function constraints(schema: Json, slug: string): string {
  const parts: string[] = [];
  if (schema.$ref !== undefined) {
    const name = String(schema.$ref).split('/').pop() ?? '';
    parts.push(`<a href="#${escape(schemaAnchor(slug, name))}">${escape(name)}</a>`);
  }
  if (schema.const !== undefined) parts.push(`= <code>${escape(JSON.stringify(schema.const))}</code>`);
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.map((value) => `<code>${escape(JSON.stringify(value))}</code>`).join(', ')}`);
  if (schema.type !== undefined) parts.push(`<span class="type">${escape(Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type)}</span>`);
  if (schema.format !== undefined) parts.push(`(${escape(schema.format)})`);
  const bound = (keyword: string, words: string) => {
    const value = schema[keyword];
    const safe = typeof value === 'number' && Math.abs(value) >= Number.MAX_SAFE_INTEGER;
    if (value !== undefined && !safe) parts.push(`${words} ${escape(value)}`);
  };
  bound('minimum', '≥');
  bound('maximum', '≤');
  bound('minLength', 'length ≥');
  bound('maxLength', 'length ≤');
  bound('minItems', 'items ≥');
  bound('maxItems', 'items ≤');
  if (schema.pattern !== undefined) parts.push(`matching <code>${escape(schema.pattern)}</code>`);
  if (Array.isArray(schema.uniqueItemProperties)) parts.push(`no two items with the same ${schema.uniqueItemProperties.map((name) => `<code>${escape(name)}</code>`).join(', ')}`);
  if (schema.additionalProperties === false) parts.push('no other fields');
  return parts.join(' ');
}

/** A schema as a nested list of its fields. */
function schemaHtml(schema: Json, slug: string): string {
  const own = `${constraints(schema, slug)}${schema.description === undefined ? '' : ` — ${prose(schema.description)}`}`;
  const properties = entries(schema.properties);
  if (properties.length > 0) {
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    const items = properties.map(
      ([name, property]) => `<li><code class="field">${escape(name)}</code>${required.has(name) ? '' : ' <span class="optional">optional</span>'} ${schemaHtml(property, slug)}</li>`,
    );
    return `${own}<ul>${items.join('')}</ul>`;
  }
  if (schema.items !== undefined) return `${own} of ${schemaHtml(asObject(schema.items), slug)}`;
  const alternatives = Array.isArray(schema.anyOf) ? schema.anyOf.map((alternative) => schemaHtml(asObject(alternative), slug)) : [];
  return alternatives.length > 0 ? `${own} any of <ul>${alternatives.map((alternative) => `<li>${alternative}</li>`).join('')}</ul>` : own;
}

function parametersHtml(parameters: unknown, slug: string): string {
  if (!Array.isArray(parameters) || parameters.length === 0) return '';
  const rows = parameters.map(asObject).map(
    (parameter) =>
      `<tr><td><code>${escape(parameter.name)}</code></td><td>${escape(parameter.in)}</td><td>${parameter.required === true ? 'yes' : 'no'}</td>` +
      `<td>${schemaHtml(asObject(parameter.schema), slug)}</td><td>${prose(parameter.description)}${parameter.example === undefined ? '' : `<br>e.g. <code>${escape(parameter.example)}</code>`}</td></tr>`,
  );
  return `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th><th></th></tr>${rows.join('')}</table>`;
}

function contentHtml(content: unknown, slug: string): string {
  return entries(content)
    .map(([mediaType, media]) => `<div class="media"><code>${escape(mediaType)}</code> ${schemaHtml(asObject(media.schema), slug)}${media.example === undefined ? '' : `<details><summary>example</summary>${pretty(media.example)}</details>`}</div>`)
    .join('');
}

function responsesHtml(responses: unknown, slug: string): string {
  const rows = entries(responses).map(([status, response]) => {
    const headers = entries(response.headers)
      .map(([name, header]) => `<div class="header"><code>${escape(name)}</code>${header.required === true ? '' : ' <span class="optional">optional</span>'} ${prose(header.description)}</div>`)
      .join('');
    return `<tr><td class="status s${escape(status.charAt(0))}">${escape(status)}</td><td>${prose(response.description)}${headers}${contentHtml(response.content, slug)}</td></tr>`;
  });
  return `<h4>Responses</h4><table>${rows.join('')}</table>`;
}

function operationHtml(slug: string, path: string, method: string, operation: Json, schemes: Json): string {
  const security = Array.isArray(operation.security) ? operation.security.flatMap((requirement) => Object.keys(asObject(requirement))) : [];
  const securityText =
    security.length === 0 ? 'none: anyone may call it' : security.map((name) => `<code>${escape(name)}</code>: ${prose(asObject(schemes[name]).description)}`).join('<br>');
  const body = asObject(operation.requestBody);
  return (
    `<section class="operation" id="${escape(slug)}-${escape(operation.operationId)}">` +
    `<h3><span class="method ${escape(method)}">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code> — ${escape(operation.summary)}</h3>` +
    `<p>${prose(operation.description)}</p><p class="security"><b>Security</b>: ${securityText}</p>` +
    parametersHtml(operation.parameters, slug) +
    (operation.requestBody === undefined ? '' : `<h4>Request body${body.required === true ? '' : ' (optional)'}</h4><p>${prose(body.description)}</p>${contentHtml(body.content, slug)}`) +
    responsesHtml(operation.responses, slug) +
    '</section>'
  );
}

function apiHtml(api: RenderedApi): string {
  const info = asObject(api.document.info);
  const components = asObject(api.document.components);
  const operations = entries(api.document.paths).flatMap(([path, methods]) =>
    entries(methods).map(([method, operation]) => operationHtml(api.slug, path, method, operation, asObject(components.securitySchemes))),
  );
  const schemas = entries(components.schemas).map(([name, schema]) => `<div id="${escape(schemaAnchor(api.slug, name))}"><h4>${escape(name)}</h4>${schemaHtml(schema, api.slug)}</div>`);
  return (
    `<section id="${escape(api.slug)}"><h2>${escape(info.title)} <small>${escape(info.version)} · <a href="${escape(api.file)}">${escape(api.file)}</a></small></h2>` +
    `<p>${prose(info.description)}</p>${operations.join('')}<h3>Schemas</h3>${schemas.join('')}</section>`
  );
}

function eventHtml(event: RenderedEvent): string {
  return (
    `<section class="event" id="event-${escape(event.detailType)}"><h3>${escape(event.detailType)} <small><a href="events/${escape(event.file)}">events/${escape(event.file)}</a></small></h3>` +
    `${schemaHtml(event.schema, 'events')}` +
    (Array.isArray(event.schema.examples) ? event.schema.examples.map((example) => `<details><summary>example</summary>${pretty(example)}</details>`).join('') : '') +
    '</section>'
  );
}

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 2rem;color:#1d2329}
h2{border-bottom:2px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}h2 small,h3 small{font-weight:normal;font-size:.75em;color:#57606a}
.operation,.event{border:1px solid #d0d7de;border-radius:6px;padding:.2rem 1rem .8rem;margin:1rem 0}
.method{display:inline-block;min-width:4.2rem;text-align:center;border-radius:4px;color:#fff;font-size:.85em;padding:.1rem .3rem}
.get{background:#0969da}.post{background:#1a7f37}.delete{background:#cf222e}.put,.patch{background:#9a6700}
table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #eaeef2;padding:.35rem .5rem;text-align:left;vertical-align:top}
.status{font-weight:bold;width:3.5rem}.s2{color:#1a7f37}.s4{color:#9a6700}.s5{color:#cf222e}
code{background:#f6f8fa;border-radius:3px;padding:0 .25rem;font-size:.9em}.type{color:#8250df}.optional{color:#57606a;font-size:.85em}
ul{margin:.2rem 0;padding-left:1.3rem}pre{background:#f6f8fa;padding:.6rem;border-radius:4px;overflow:auto}nav a{margin-right:1rem}
.media,.header{margin:.3rem 0}details summary{cursor:pointer;color:#0969da}
`;

/** The page: a contents bar, each API, then the events. */
export function contractsHtml(apis: readonly RenderedApi[], events: readonly RenderedEvent[]): string {
  const nav = [
    ...apis.map((api) => `<a href="#${escape(api.slug)}">${escape(asObject(api.document.info).title)}</a>`),
    '<a href="#events">Events</a>',
  ].join('');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Hybrid Shop contracts</title><style>${STYLE}</style></head><body>`,
    '<h1>Hybrid Shop contracts</h1>',
    '<p>Generated by <code>npm run contracts</code> from the zod schemas the handlers validate with and the routes of the synthesized stack: never edit by hand.</p>',
    `<nav>${nav}</nav>`,
    ...apis.map(apiHtml),
    '<section id="events"><h2>Events <small><a href="events/index.json">events/index.json</a></small></h2>',
    ...events.map(eventHtml),
    '</section></body></html>',
    '',
  ].join('\n');
}
