/**
 * Reading a template's resources: by type, and what their properties reference (`Ref`, `Fn::GetAtt`). What every
 * service's reader needs (functions, REST APIs, buses, user pools, roles, web ACLs).
 */
import { isRecord } from '../shared/json';
import type { CfnTemplate } from './cloud-assembly';
import type { IntrinsicResolver, PhysicalResource } from './intrinsic-resolver';

/** What a service's reader of the template needs from the intrinsic resolver. */
export type ValueResolver = Pick<IntrinsicResolver, 'resolve' | 'resolveString'>;

/** Local physical ids by logical id (from `assignPhysicalIds`). */
export type PhysicalIds = ReadonlyMap<string, PhysicalResource>;

/**
 * The logical id a `{ Ref: X }`, `{ 'Fn::GetAtt': [X, attr] }` or `{ 'Fn::GetAtt': 'X.attr' }` points at, and the
 * attribute (undefined for Ref). Anything else answers undefined.
 */
export function referencedLogicalId(value: unknown): { readonly logicalId: string; readonly attribute?: string } | undefined {
  if (!isRecord(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length !== 1) return undefined;
  const [key, arg] = entries[0];
  if (key === 'Ref' && typeof arg === 'string') return { logicalId: arg };
  if (key === 'Fn::GetAtt') {
    if (Array.isArray(arg) && typeof arg[0] === 'string' && typeof arg[1] === 'string') return { logicalId: arg[0], attribute: arg[1] };
    if (typeof arg === 'string' && arg.includes('.')) {
      const dot = arg.indexOf('.');
      return { logicalId: arg.slice(0, dot), attribute: arg.slice(dot + 1) };
    }
  }
  return undefined;
}

/** Every logical id that `value` mentions through Ref or Fn::GetAtt, at any depth. */
export function mentionedLogicalIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  const ref = referencedLogicalId(value);
  if (ref) {
    into.add(ref.logicalId);
    return into;
  }
  if (Array.isArray(value)) {
    for (const item of value) mentionedLogicalIds(item, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) mentionedLogicalIds(item, into);
  }
  return into;
}

/** The template's resources of one type, in template order. */
export function resourcesOfType(template: CfnTemplate, type: string): [string, Record<string, unknown>][] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([logicalId, resource]) => [logicalId, resource.Properties ?? {}]);
}

/** A logical id without the 8-hex-digit hash CDK appends: `OrdersPlaceOrderFunction1A2B3C4D` → `OrdersPlaceOrderFunction`. */
export function shortNameOf(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '') || logicalId;
}
