/** The stack's outputs as the local runtime resolves them: to local values, execute-api URLs to the local API ports. */
import type { CfnTemplate } from '../assembly/cloud-assembly';
import { UnresolvableError, type IntrinsicResolver } from '../assembly/intrinsics';

/** Every output that resolves; one that does not is left out with a line saying why. */
export function resolveOutputs(
  options: { readonly template: CfnTemplate; readonly resolver: IntrinsicResolver; readonly rewrite: (value: string) => string },
  log: (line: string) => void,
): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(options.template.Outputs ?? {})) {
    try {
      outputs[name] = options.rewrite(options.resolver.resolveString(output.Value));
    } catch (error) {
      if (!(error instanceof UnresolvableError)) throw error;
      log(`  ! output ${name} left out: ${error.message}`);
    }
  }
  return outputs;
}
