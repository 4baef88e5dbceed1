import { TYPES } from "../../policy/resources";
import type { TestResource } from "./support";

/** An account as the program declares it for the dev stack (components/fineTuningPlatform.ts). */
export function devAccount(
  properties: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): TestResource {
  return {
    type: TYPES.account,
    name: "ft-dev-account",
    props: {
      accountName: "aoift-dev-0123456789",
      resourceGroupName: "ft-dev-rg",
      location: "swedencentral",
      kind: "AIServices",
      sku: { name: "S0" },
      identity: { type: "SystemAssigned" },
      properties: {
        customSubDomainName: "aoift-dev-0123456789",
        disableLocalAuth: true,
        publicNetworkAccess: "Enabled",
        networkAcls: { defaultAction: "Allow" },
        ...properties,
      },
      tags: { environment: "dev", owner: "platform-team" },
      ...extra,
    },
  };
}

/** The firewalled account of the prod example. */
export function prodAccount(properties: Record<string, unknown> = {}): TestResource {
  return devAccount({
    networkAcls: {
      defaultAction: "Deny",
      bypass: "AzureServices",
      ipRules: [{ value: "203.0.113.0/24" }],
    },
    ...properties,
  });
}

const TUNED_URN =
  "urn:pulumi:dev::azure-openai-finetune::azure-openai-finetune:model:FineTunedModel$azure-native:cognitiveservices:Deployment::ft-dev-tuned-deployment";

/** The deployment of the fine-tuned model, inside its FineTunedModel component. */
export function tunedDeployment(
  sku: Record<string, unknown>,
  modelName: string = "gpt-4.1-mini-2025-04-14.ft-0123456789abcdef",
): TestResource {
  return {
    type: TYPES.deployment,
    name: "ft-dev-tuned-deployment",
    urn: TUNED_URN,
    props: {
      accountName: "aoift-dev-0123456789",
      resourceGroupName: "ft-dev-rg",
      deploymentName: "gpt-4.1-mini-travel-dev",
      sku,
      properties: { model: { format: "OpenAI", name: modelName, version: "1" } },
    },
  };
}

/** The base model's deployment, top level of the platform component. */
export function baseDeployment(sku: Record<string, unknown>): TestResource {
  return {
    type: TYPES.deployment,
    name: "ft-dev-base",
    props: {
      accountName: "aoift-dev-0123456789",
      resourceGroupName: "ft-dev-rg",
      deploymentName: "gpt-4.1-mini-base",
      sku,
      properties: {
        model: { format: "OpenAI", name: "gpt-4.1-mini", version: "2025-04-14" },
        versionUpgradeOption: "NoAutoUpgrade",
      },
    },
  };
}
