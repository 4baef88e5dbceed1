import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { namespaced, PROJECT_ROOT, stackConfig } from "./stackConfig";

/** One resource the program registered, with what the engine would see. */
export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
  /** Logical name of the parent (`undefined` for top-level resources). */
  parent?: string;
  /** Logical names of explicit and implicit dependencies. */
  dependencies: string[];
  custom: boolean;
  urn: string;
}

/** The program threw while running; `registered` names what it had declared before. */
export type ProgramFailure = Error & { registered: string[] };

/** What running the program under mocks produced. */
export interface ProgramRun {
  resources: Registered[];
  outputs: Record<string, unknown>;
  byName(name: string): Registered;
}

export const SUBSCRIPTION_ID = "11111111-2222-3333-4444-555555555555";
export const TENANT_ID = "99999999-8888-7777-6666-555555555555";
export const DEPLOYER_OBJECT_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

function nameOfUrn(urn: string): string {
  return urn.split("::").pop()!;
}

function mockState(
  type: string,
  name: string,
  inputs: Record<string, any>,
): { id: string; state: Record<string, any> } {
  const rg = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups`;
  switch (type) {
    case "azure-native:resources:ResourceGroup":
      return { id: `${rg}/${name}`, state: { ...inputs, name } };
    case "azure-native:cognitiveservices:Account":
      return {
        id: `${rg}/${inputs.resourceGroupName}/providers/Microsoft.CognitiveServices/accounts/${inputs.accountName}`,
        state: {
          ...inputs,
          name: inputs.accountName,
          properties: {
            ...inputs.properties,
            endpoint: `https://${inputs.accountName}.cognitiveservices.azure.com/`,
          },
        },
      };
    case "azure-native:cognitiveservices:Deployment":
      return { id: `${name}-id`, state: { ...inputs, name: inputs.deploymentName } };
    case "azuread:index/application:Application":
      return {
        id: `/applications/${name}-object-id`,
        state: { ...inputs, clientId: `${name}-client-id` },
      };
    case "azuread:index/servicePrincipal:ServicePrincipal":
      return { id: `${name}-id`, state: { ...inputs, objectId: `${name}-object-id` } };
    case "pulumi-nodejs:dynamic/azure-openai:TrainingFile":
      // What the provider's check and create would output: the program-side measurements plus ids.
      return {
        id: `file-${name}`,
        state: {
          ...inputs,
          fileId: `file-${name}`,
          status: "processed",
          sha256: inputs.content.sha256,
          bytes: inputs.content.bytes,
          examples: inputs.content.examples,
          totalTokens: inputs.content.totalTokens,
          estimatedBilledTokens: inputs.content.estimatedBilledTokens,
        },
      };
    case "pulumi-nodejs:dynamic/azure-openai:FineTuningJob":
      return {
        id: `ftjob-${name}`,
        state: {
          ...inputs,
          jobId: `ftjob-${name}`,
          status: "succeeded",
          fineTunedModel: `${inputs.baseModel}.ft-0123456789abcdef0123456789abcdef`,
          trainedTokens: 1234,
        },
      };
    default:
      return { id: `${name}-id`, state: { ...inputs } };
  }
}

/**
 * Runs index.ts for `stack` under Pulumi mocks and returns every registration. Project modules
 * are loaded afresh so each run reads its own config.
 */
export async function runProgram(
  stack: string,
  overrides: Record<string, string | undefined> = {},
  extraState: (type: string, inputs: Record<string, any>) => Record<string, any> = () => ({}),
): Promise<ProgramRun> {
  const recorded: Registered[] = [];
  pulumi.runtime.setAllConfig(namespaced(stackConfig(stack, overrides)));
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const { id, state } = mockState(args.type, args.name, args.inputs);
        return { id, state: { ...state, ...extraState(args.type, args.inputs) } };
      },
      call(args) {
        switch (args.token) {
          case "azure-native:authorization:getClientConfig":
            return {
              subscriptionId: SUBSCRIPTION_ID,
              tenantId: TENANT_ID,
              objectId: DEPLOYER_OBJECT_ID,
              clientId: "deployer",
            };
          case "azure-native:resources:getResourceGroup":
            return {
              name: args.inputs.resourceGroupName,
              id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${args.inputs.resourceGroupName}`,
              location: "swedencentral",
            };
          default:
            throw new Error(`unexpected call ${args.token}`);
        }
      },
    },
    "azure-openai-finetune",
    stack,
    false,
  );

  // The mock monitor does not report parents or dependencies, so record them from the request.
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    register(req, (err: any, res: any) => {
      if (!err) {
        recorded.push({
          type: req.getType(),
          name: req.getName(),
          inputs: pulumi.runtime.deserializeProperties(req.getObject()),
          parent: req.getParent() ? nameOfUrn(req.getParent()) : undefined,
          dependencies: (req.getDependenciesList() as string[]).map(nameOfUrn).sort(),
          custom: req.getCustom(),
          urn: res.getUrn(),
        });
      }
      callback(err, res);
    });
  };

  for (const file of Object.keys(require.cache)) {
    if (
      file.startsWith(PROJECT_ROOT) &&
      !file.includes(`${path.sep}node_modules${path.sep}`) &&
      !file.includes(`${path.sep}test${path.sep}`)
    ) {
      delete require.cache[file];
    }
  }
  let program: Record<string, unknown>;
  try {
    program = require(path.join(PROJECT_ROOT, "index.ts")) as Record<string, unknown>;
  } catch (err) {
    // Let any registration already sent settle, then report what was declared before the throw.
    await new Promise((r) => setTimeout(r, 50));
    throw Object.assign(err as Error, { registered: recorded.map((r) => r.name) });
  }
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(program)) {
    outputs[key] = pulumi.Output.isInstance(value) ? await promiseOf(value) : value;
  }
  // Registrations finish asynchronously after the last output resolves; wait until they settle.
  let seen = -1;
  while (seen !== recorded.length) {
    seen = recorded.length;
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    resources: recorded,
    outputs,
    byName(name: string) {
      const found = recorded.filter((r) => r.name === name);
      if (found.length !== 1)
        throw new Error(`expected one resource named ${name}, found ${found.length}`);
      return found[0];
    },
  };
}

/** Resolves an Output's value under mocks. */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}
