import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { AccountPurge } from "../dynamic-providers/accountPurge";
import { accountSubdomain } from "../lib/naming";

/** The optional base model deployment. */
export interface BaseDeploymentArgs {
  /** The base model as ARM names it. */
  readonly model: { readonly name: string; readonly version: string };
  /** Deployment name (the name callers pass as `model`/deployment). */
  readonly name: pulumi.Input<string>;
  /** Deployment type: `GlobalStandard`, `Standard`, … */
  readonly sku: pulumi.Input<string>;
  /** Capacity in units of 1,000 tokens per minute. */
  readonly capacity: pulumi.Input<number>;
}

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
  /**
   * A deployment of the base model, to compare the tuned model's answers with; undefined deploys
   * none. Fine-tuning does not need it. Plain: decides a child.
   */
  readonly baseDeployment?: BaseDeploymentArgs;
  /** Create a Foundry project of this name on the account (needs `AIServices`). Plain: decides a child. */
  readonly foundryProject?: string;
  /** Purge the soft-deleted account after destroy so the name can be reused at once. Plain: decides a child. */
  readonly purgeOnDestroy: boolean;
  /**
   * Pulumi `protect` on the account: `destroy` stops with a protection error instead of deleting
   * the account that holds the quota. Default false.
   */
  readonly protectAccount?: boolean;
  /** Pulumi `retainOnDelete` on the account: `destroy` drops it from state but leaves it in Azure. */
  readonly retainAccountOnDelete?: boolean;
  /**
   * The account's name and custom subdomain, for an account adopted with `pulumi import` (both
   * are fixed for an account's life). Undefined derives both from subscription, group, project
   * and stack. Plain: decides the names.
   */
  readonly accountName?: { readonly name: string; readonly subdomain: string };
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
  /** ARM id of the account. */
  public readonly accountId: pulumi.Output<string>;
  /** Account name: its custom subdomain too, unless `accountName` set a different subdomain. */
  public readonly accountName: pulumi.Output<string>;
  /** Data-plane endpoint, `https://<subdomain>.cognitiveservices.azure.com/` or similar. */
  public readonly endpoint: pulumi.Output<string>;
  /** The base model deployment, when `baseDeployment` is set. */
  public readonly baseDeployment?: azure.cognitiveservices.Deployment;
  /** Name of the base model deployment; undefined without one. */
  public readonly baseDeploymentName: pulumi.Output<string | undefined>;
  /**
   * The ARM writes under the account this component makes (base deployment, project), in order.
   * ARM refuses concurrent writes under one account (`RequestConflict`), so a later deployment
   * on the account depends on these.
   */
  public readonly accountWrites: pulumi.Resource[] = [];
  /** Foundry project, when `foundryProject` is set. */
  public readonly project?: azure.cognitiveservices.Project;

  constructor(name: string, args: FineTuningPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azure-openai-finetune:platform:FineTuningPlatform", name, {}, opts);

    const problems = validateFineTuningPlatformArgs(args);
    if (problems.length > 0) {
      throw new pulumi.ResourceError(problems.join(" "), this);
    }

    const group = this.resourceGroup(name, args);
    this.resourceGroupName = group.name;
    this.resourceGroupId = group.id;

    const derived = pulumi
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
    const accountName = args.accountName ? pulumi.output(args.accountName.name) : derived;
    const subdomain = args.accountName ? pulumi.output(args.accountName.subdomain) : derived;

    const purge = args.purgeOnDestroy
      ? new AccountPurge(
          `${name}-purge`,
          {
            subscriptionId: args.subscriptionId,
            resourceGroupName: this.resourceGroupName,
            location: args.location,
            accountName,
          },
          { parent: this },
        )
      : undefined;

    const ipRules = args.allowedIpRanges.map((value) => ({ value }));
    this.account = new azure.cognitiveservices.Account(
      `${name}-account`,
      {
        accountName,
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
      {
        parent: this,
        ...(purge ? { dependsOn: [purge] } : {}),
        protect: args.protectAccount ?? false,
        retainOnDelete: args.retainAccountOnDelete ?? false,
      },
    );
    this.accountId = this.account.id;
    this.accountName = this.account.name;
    this.endpoint = this.account.properties.endpoint;

    if (args.baseDeployment !== undefined) {
      this.baseDeployment = deployBaseModel(
        `${name}-base`,
        args.baseDeployment,
        { accountName: this.account.name, resourceGroupName: this.resourceGroupName },
        this,
      );
      this.accountWrites.push(this.baseDeployment);
    }
    this.baseDeploymentName = this.baseDeployment
      ? this.baseDeployment.name
      : pulumi.output(undefined);
    if (args.foundryProject !== undefined) {
      // One ARM write under the account at a time: after the base deployment.
      this.project = this.createProject(name, args, args.foundryProject);
      this.accountWrites.push(this.project);
    }

    this.registerOutputs({
      resourceGroupName: this.resourceGroupName,
      accountName: this.accountName,
      endpoint: this.endpoint,
      baseDeploymentName: this.baseDeploymentName,
    });
  }

  /** The existing resource group, or a new one named after the component. */
  private resourceGroup(
    name: string,
    args: FineTuningPlatformArgs,
  ): { name: pulumi.Output<string>; id: pulumi.Output<string> } {
    if (args.existingResourceGroupName !== undefined) {
      return azure.resources.getResourceGroupOutput(
        { resourceGroupName: args.existingResourceGroupName },
        { parent: this },
      );
    }
    return new azure.resources.ResourceGroup(
      `${name}-rg`,
      { location: args.location, tags: args.tags },
      { parent: this },
    );
  }

  /** The Foundry project, written after the account's earlier writes. */
  private createProject(
    name: string,
    args: FineTuningPlatformArgs,
    projectName: string,
  ): azure.cognitiveservices.Project {
    return new azure.cognitiveservices.Project(
      `${name}-project`,
      {
        accountName: this.account.name,
        resourceGroupName: this.resourceGroupName,
        projectName,
        location: args.location,
        identity: { type: azure.cognitiveservices.ResourceIdentityType.SystemAssigned },
        properties: {
          displayName: projectName,
          description: `Fine-tuning (${args.environment})`,
        },
        tags: args.tags,
      },
      { parent: this, dependsOn: [...this.accountWrites] },
    );
  }
}

/** The base model deployment, pinned to its version; shared by created and connected accounts. */
export function deployBaseModel(
  name: string,
  base: BaseDeploymentArgs,
  account: { accountName: pulumi.Input<string>; resourceGroupName: pulumi.Input<string> },
  parent: pulumi.Resource,
): azure.cognitiveservices.Deployment {
  return new azure.cognitiveservices.Deployment(
    name,
    {
      ...account,
      deploymentName: base.name,
      sku: { name: base.sku, capacity: base.capacity },
      properties: {
        model: { format: "OpenAI", name: base.model.name, version: base.model.version },
        versionUpgradeOption: "NoAutoUpgrade",
      },
    },
    { parent },
  );
}

/** Problems with the plain arguments, each naming the argument, its value and the fix. */
export function validateFineTuningPlatformArgs(
  args: Pick<
    FineTuningPlatformArgs,
    "accountKind" | "foundryProject" | "allowedIpRanges" | "environment"
  >,
): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9-]{0,15}$/.test(args.environment)) {
    problems.push(
      `\`environment\` ${JSON.stringify(args.environment)} must be 1-16 lowercase letters, digits or hyphens.`,
    );
  }
  if (args.foundryProject !== undefined && args.accountKind !== "AIServices") {
    problems.push(
      `\`foundryProject\` "${args.foundryProject}" needs \`accountKind\` AIServices; set it or drop \`foundryProject\`.`,
    );
  }
  const duplicate = args.allowedIpRanges.find((r, i) => args.allowedIpRanges.indexOf(r) !== i);
  if (duplicate !== undefined) {
    problems.push(`\`allowedIpRanges\` lists "${duplicate}" twice; list each range once.`);
  }
  return problems;
}
