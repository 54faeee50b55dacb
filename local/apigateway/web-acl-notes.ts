/**
 * WAF is not emulated: a web ACL of the template filters nothing locally (no rate limit, no body-size rule), and every
 * request reaches its API. Rather than let that pass in silence, the runtime names each web ACL, and the REST APIs its
 * associations put it in front of, when it starts.
 */
import type { CfnTemplate } from '../assembly/cloud-assembly';
import { mentionedLogicalIds, resourcesOfType, shortNameOf } from '../assembly/template-refs';

export interface UnenforcedWebAcl {
  readonly logicalId: string;
  /** The REST APIs (logical ids) its associations name: a stage's ARN names the stage's API. */
  readonly restApis: readonly string[];
}

/** Every AWS::WAFv2::WebACL of the template, with the REST APIs it is associated with. */
export function readWebAcls(template: CfnTemplate): UnenforcedWebAcl[] {
  const associations = resourcesOfType(template, 'AWS::WAFv2::WebACLAssociation');
  return resourcesOfType(template, 'AWS::WAFv2::WebACL').map(([logicalId]) => ({
    logicalId,
    restApis: associations
      .filter(([, properties]) => mentionedLogicalIds(properties.WebACLArn).has(logicalId))
      .flatMap(([, properties]) => [...mentionedLogicalIds(properties.ResourceArn)])
      .filter((id) => template.Resources[id]?.Type === 'AWS::ApiGateway::RestApi'),
  }));
}

/** The start-up line for one web ACL. */
export function webAclNote(acl: UnenforcedWebAcl): string {
  const where = acl.restApis.length > 0 ? ` in front of ${acl.restApis.map(shortNameOf).join(', ')}` : '';
  return `web ACL ${shortNameOf(acl.logicalId)}${where} not enforced locally: WAF is not emulated, so its rules block nothing`;
}
