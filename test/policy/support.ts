import {
  type EnforcementLevel,
  type Policies,
  type PolicyResource,
  type PolicyResourceOptions,
  unknownCheckingProxy,
  UnknownValueError,
} from "@pulumi/policy";
import { version } from "../../policy/package.json";

/**
 * Runs policies the way @pulumi/policy 1.21.0's analyzer server does (node_modules/@pulumi/policy/
 * server.js): props deserialized to plain data and wrapped in `unknownCheckingProxy`; the level
 * from the policy config, else the policy's own, else the pack's default (advisory); "disabled"
 * skipped; a violation's message is the description, a newline and what the policy reported; and
 * an `UnknownValueError` becomes an advisory "can't run … during preview".
 */

/** How the engine sends a value unknown at preview (any type): the string sentinel. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const PACK_NAME = "azure-openai-finetune";

/** The per-policy config a `--policy-pack-config` file holds. */
export type PolicyConfig = Record<
  string,
  { enforcementLevel?: EnforcementLevel; [key: string]: unknown }
>;

/** A resource as the engine describes it to the pack. */
export interface TestResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  /** Defaults to a top-level URN in stack `dev`; pass one to place the resource in a component. */
  urn?: string;
}

export interface Diagnostic {
  policy: string;
  level: EnforcementLevel;
  /** What the policy passed to reportViolation (or the runtime's preview note). */
  reported: string;
  /** The message as the runtime reports it. */
  message: string;
  urn?: string;
}

export function urnOf(resource: TestResource): string {
  return (
    resource.urn ?? `urn:pulumi:dev::azure-openai-finetune::${resource.type}::${resource.name}`
  );
}

function levelOf(policy: Policies[number], config: PolicyConfig): EnforcementLevel {
  return config[policy.name]?.enforcementLevel || policy.enforcementLevel || "advisory";
}

function getConfigOf(policy: Policies[number], config: PolicyConfig): <T extends object>() => T {
  return <T extends object>() => {
    const { enforcementLevel: _level, ...rest } = (config[policy.name] ?? {}) as Record<
      string,
      unknown
    >;
    return rest as T;
  };
}

const OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  additionalSecretOutputs: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
};

function notApplicable(reason?: string): never {
  throw new Error(`not applicable: ${reason}`);
}

async function run(
  policy: Policies[number],
  level: EnforcementLevel,
  diagnostics: Diagnostic[],
  validate: (report: (message: string, urn?: string) => void) => Promise<void> | void,
  fallbackUrn?: string,
): Promise<void> {
  const report = (reported: string, urn?: string) =>
    diagnostics.push({
      policy: policy.name,
      level,
      reported,
      message: `${policy.description}\n${reported}`,
      urn: urn ?? fallbackUrn,
    });
  try {
    await validate(report);
  } catch (err) {
    if (!(err instanceof UnknownValueError)) throw err;
    const from = `policy '${policy.name}' from policy pack '${PACK_NAME}@v${version}'`;
    const reported = `can't run ${from} during preview: ${(err as Error).message}`;
    diagnostics.push({ policy: policy.name, level: "advisory", reported, message: reported });
  }
}

/** Runs every resource policy of `policies` on one resource. */
export async function validateResource(
  policies: Policies,
  resource: TestResource,
  config: PolicyConfig = {},
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const policy of policies) {
    const level = levelOf(policy, config);
    if (level === "disabled" || !("validateResource" in policy) || !policy.validateResource) {
      continue;
    }
    const validations = Array.isArray(policy.validateResource)
      ? policy.validateResource
      : [policy.validateResource];
    for (const validation of validations) {
      const props = unknownCheckingProxy(structuredClone(resource.props));
      const args = {
        type: resource.type,
        props,
        urn: urnOf(resource),
        name: resource.name,
        opts: OPTIONS,
        stackTags: new Map<string, string>(),
        isType: () => false,
        asType: () => undefined,
        getConfig: getConfigOf(policy, config),
        notApplicable,
      };
      await run(policy, level, diagnostics, (report) => validation(args, report), urnOf(resource));
    }
  }
  return diagnostics;
}

/** Runs every stack policy of `policies` on the given resources. */
export async function validateStack(
  policies: Policies,
  resources: TestResource[],
  config: PolicyConfig = {},
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const policy of policies) {
    const level = levelOf(policy, config);
    if (level === "disabled" || !("validateStack" in policy) || !policy.validateStack) continue;
    const validateStack = policy.validateStack;
    const wrapped: PolicyResource[] = resources.map((r) => ({
      type: r.type,
      props: unknownCheckingProxy(structuredClone(r.props)),
      urn: urnOf(r),
      name: r.name,
      opts: OPTIONS,
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    }));
    const args = {
      resources: wrapped,
      stackTags: new Map<string, string>(),
      getConfig: getConfigOf(policy, config),
      notApplicable,
    };
    await run(policy, level, diagnostics, (report) => validateStack(args, report));
  }
  return diagnostics;
}

/** Resource and stack policies together, as one preview reports them. */
export async function validateAll(
  policies: Policies,
  resources: TestResource[],
  config: PolicyConfig = {},
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const resource of resources) {
    diagnostics.push(...(await validateResource(policies, resource, config)));
  }
  diagnostics.push(...(await validateStack(policies, resources, config)));
  return diagnostics;
}

/**
 * Clears `PULUMI_CONFIG` (the stack config the engine hands the pack) around each test of the
 * calling suite and returns a setter for it, so no test sees another's or the mocks' config.
 */
export function stackConfigForEachTest(): (config: Record<string, string>) => void {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.PULUMI_CONFIG;
    delete process.env.PULUMI_CONFIG;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.PULUMI_CONFIG;
    else process.env.PULUMI_CONFIG = saved;
  });
  return (config) => {
    process.env.PULUMI_CONFIG = JSON.stringify(config);
  };
}
