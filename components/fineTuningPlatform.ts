import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { AccountPurge } from "../dynamic-providers/accountPurge";
import { accountSubdomain } from "../lib/naming";

/** Arguments of {@link FineTuningPlatform}. */
export interface FineTuningPlatformArgs {
  /** Azure region of the account; must offer fine-tuning for the base model. */
  readonly location: string;
  /** Short environment name (`dev`, `prod`); part of resource names and tags. */
  readonly environment: string;
  /**
   * Deploy into this existing resource group instead of creating one. Plain, not an Input: it
   * decides whether a resource group is created.
   */
  readonly existingResourceGroupName?: string;
  /** `AIServices` (Foundry resource, supports projects) or `OpenAI` (classic). Plain: decides whether a project is allowed. */
  readonly accountKind: "AIServices" | "OpenAI";
  /** Account SKU; `S0` is the only one offered for OpenAI. */
  readonly accountSku: pulumi.Input<string>;
  /** Turn off API keys so every call needs an Entra token. Default in config: true. */
  readonly disableLocalAuth: pulumi.Input<boolean>;
  /** `Enabled` or `Disabled`. */
  readonly publicNetworkAccess: pulumi.Input<string>;
  /** IPv4 addresses or CIDR ranges allowed through the firewall; empty allows all networks. */
  readonly allowedIpRanges: readonly string[];
  /** Base model to deploy for comparison, as ARM names it. */
  readonly baseModel: { readonly name: string; readonly version: string };
  /** Name of the base model deployment (the name callers pass as `model`/deployment). */
  readonly baseDeploymentName: pulumi.Input<string>;
  /** Deployment type of the base model: `GlobalStandard`, `Standard`, … */
  readonly baseDeploymentSku: pulumi.Input<string>;
  /** Capacity in units of 1,000 tokens per minute. */
  readonly baseDeploymentCapacity: pulumi.Input<number>;
  /** Create a Foundry project of this name on the account (needs `AIServices`). Plain: decides a child. */
  readonly foundryProject?: string;
  /** Purge the soft-deleted account after destroy so the name can be reused at once. Plain: decides a child. */
  readonly purgeOnDestroy: boolean;
  /** Subscription id, used to derive a globally unique subdomain and for the purge. */
  readonly subscriptionId: pulumi.Input<string>;
  /** Tags on every taggable resource. */
  readonly tags: pulumi.Input<Record<string, string>>;
}

/**
 * The Azure side of the fine-tuning lab: a resource group (or an existing one), an Azure AI
 * account with a custom subdomain and system identity, the base model deployment that tuned
 * answers are compared against, optionally a Foundry project, and optionally a purge of the
 * soft-deleted account on destroy.
 */
export class FineTuningPlatform extends pulumi.ComponentResource {
  /** Resource group holding the account. */
  public readonly resourceGroupName: pulumi.Output<string>;
  /** ARM id of the resource group. */
  public readonly resourceGroupId: pulumi.Output<string>;
  /** The Cognitive Services account. */
  public readonly account: azure.cognitiveservices.Account;
  /** Account name, equal to its custom subdomain. */
  public readonly accountName: pulumi.Output<string>;
  /** Data-plane endpoint, `https://<subdomain>.cognitiveservices.azure.com/` or similar. */
  public readonly endpoint: pulumi.Output<string>;
  /** The base model deployment; later deployments on the account depend on it. */
  public readonly baseDeployment: azure.cognitiveservices.Deployment;
  /** Name of the base model deployment. */
  public readonly baseDeploymentName: pulumi.Output<string>;
  /** Foundry project, when `foundryProject` is set. */
  public readonly project?: azure.cognitiveservices.Project;

  constructor(name: string, args: FineTuningPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azure-openai-finetune:platform:FineTuningPlatform", name, {}, opts);

    if (args.foundryProject !== undefined && args.accountKind !== "AIServices") {
      throw new pulumi.ResourceError(
        `\`foundryProject\` "${args.foundryProject}" needs \`accountKind\` AIServices; set it or drop \`foundryProject\`.`,
        this,
      );
    }

    if (args.existingResourceGroupName !== undefined) {
      const existing = azure.resources.getResourceGroupOutput(
        { resourceGroupName: args.existingResourceGroupName },
        { parent: this },
      );
      this.resourceGroupName = existing.name;
      this.resourceGroupId = existing.id;
    } else {
      const group = new azure.resources.ResourceGroup(
        `${name}-rg`,
        { location: args.location, tags: args.tags },
        { parent: this },
      );
      this.resourceGroupName = group.name;
      this.resourceGroupId = group.id;
    }

    const subdomain = pulumi
      .all([args.subscriptionId, this.resourceGroupName])
      .apply(([subscription, group]) =>
        accountSubdomain(
          "aoift",
          args.environment,
          subscription,
          group,
          pulumi.getProject(),
          pulumi.getStack(),
        ),
      );

    const purge = args.purgeOnDestroy
      ? new AccountPurge(
          `${name}-purge`,
          {
            subscriptionId: args.subscriptionId,
            resourceGroupName: this.resourceGroupName,
            location: args.location,
            accountName: subdomain,
          },
          { parent: this },
        )
      : undefined;

    const ipRules = args.allowedIpRanges.map((value) => ({ value }));
    this.account = new azure.cognitiveservices.Account(
      `${name}-account`,
      {
        accountName: subdomain,
        resourceGroupName: this.resourceGroupName,
        location: args.location,
        kind: args.accountKind,
        sku: { name: args.accountSku },
        identity: { type: azure.cognitiveservices.ResourceIdentityType.SystemAssigned },
        properties: {
          // Entra tokens only work against a custom subdomain, and it cannot be changed later.
          customSubDomainName: subdomain,
          disableLocalAuth: args.disableLocalAuth,
          publicNetworkAccess: args.publicNetworkAccess,
          networkAcls:
            ipRules.length > 0
              ? { defaultAction: "Deny", bypass: "AzureServices", ipRules }
              : { defaultAction: "Allow" },
          ...(args.foundryProject !== undefined ? { allowProjectManagement: true } : {}),
        },
        tags: args.tags,
      },
      // The purge must run after the account is gone, so the account depends on it.
      { parent: this, ...(purge ? { dependsOn: [purge] } : {}) },
    );
    this.accountName = this.account.name;
    this.endpoint = this.account.properties.endpoint;

    this.baseDeployment = new azure.cognitiveservices.Deployment(
      `${name}-base`,
      {
        accountName: this.account.name,
        resourceGroupName: this.resourceGroupName,
        deploymentName: args.baseDeploymentName,
        sku: { name: args.baseDeploymentSku, capacity: args.baseDeploymentCapacity },
        properties: {
          model: { format: "OpenAI", name: args.baseModel.name, version: args.baseModel.version },
          versionUpgradeOption: "NoAutoUpgrade",
        },
      },
      { parent: this },
    );
    this.baseDeploymentName = this.baseDeployment.name;

    if (args.foundryProject !== undefined) {
      this.project = new azure.cognitiveservices.Project(
        `${name}-project`,
        {
          accountName: this.account.name,
          resourceGroupName: this.resourceGroupName,
          projectName: args.foundryProject,
          location: args.location,
          identity: { type: azure.cognitiveservices.ResourceIdentityType.SystemAssigned },
          properties: {
            displayName: args.foundryProject,
            description: `Fine-tuning (${args.environment})`,
          },
          tags: args.tags,
        },
        { parent: this },
      );
    }

    this.registerOutputs({
      resourceGroupName: this.resourceGroupName,
      accountName: this.accountName,
      endpoint: this.endpoint,
      baseDeploymentName: this.baseDeploymentName,
    });
  }
}
