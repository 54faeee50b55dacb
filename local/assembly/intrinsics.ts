/**
 * CloudFormation intrinsics for the local runtime: the resolver and the local physical ids it resolves against.
 * (Two files, one thing each; this module is the entry point the runtime imports.)
 */
export * from './intrinsic-resolver';
export { assignPhysicalIds } from './physical-ids';
