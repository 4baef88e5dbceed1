import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { configKey, type ExistingAccount } from "../config";
import type { CatalogModel } from "../lib/models";
import { deployBaseModel, type BaseDeploymentArgs } from "./fineTuningPlatform";

/** What the rest of the program needs from the account, whether created or connected. */
export interface AccountTarget {
  readonly accountId: pulumi.Output<string>;
  readonly accountName: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly resourceGroupName: pulumi.Output<string>;
  readonly resourceGroupId: pulumi.Output<string>;
  readonly baseDeploymentName: pulumi.Output<string | undefined>;
  /** ARM writes the stack makes under the account, which later deployments wait for. */
  readonly accountWrites: pulumi.Resource[];
}

/** Arguments of {@link ConnectedAccount}. */
export interface ConnectedAccountArgs {
  /** The account to fine-tune in, from `existingAccount`. */
  readonly account: ExistingAccount;
  /** The configured region; must be the account's, so the config's catalog checks apply to it. */
  readonly location: string;
  /** Full base model id and its catalog entry (undefined: Azure decides). */
  readonly baseModel: string;
  readonly model?: CatalogModel;
  /** A base deployment the stack makes (and destroys) on the account; undefined makes none. */
  readonly baseDeployment?: BaseDeploymentArgs;
  /** A base deployment the owner made, named for the comparison when the stack makes none. */
  readonly existingBaseDeploymentName?: string;
}

/** The fields of the account that decide whether fine-tuning can run in it. */
export interface AccountFacts {
  readonly kind?: string;
  readonly location?: string;
  readonly properties: { readonly customSubDomainName?: string; readonly endpoint?: string };
}

/**
 * An existing account, read instead of declared: the stack never creates, purges, protects or
 * deletes it, so `destroy` removes only what the stack made in it (files, job, tuned deployment,
 * grants, a base deployment it was asked to make).
 */
export class ConnectedAccount extends pulumi.ComponentResource implements AccountTarget {
  public readonly accountId: pulumi.Output<string>;
  public readonly accountName: pulumi.Output<string>;
  /** The account's endpoint, rejected (with every problem) when the account cannot fine-tune. */
  public readonly endpoint: pulumi.Output<string>;
  public readonly resourceGroupName: pulumi.Output<string>;
  public readonly resourceGroupId: pulumi.Output<string>;
  public readonly baseDeploymentName: pulumi.Output<string | undefined>;
  public readonly accountWrites: pulumi.Resource[] = [];
  public readonly baseDeployment?: azure.cognitiveservices.Deployment;

  constructor(name: string, args: ConnectedAccountArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azure-openai-finetune:platform:ConnectedAccount", name, {}, opts);

    const { account } = args;
    const found = azure.cognitiveservices.getAccountOutput(
      { accountName: account.name, resourceGroupName: account.resourceGroupName },
      { parent: this },
    );
    this.accountId = found.id;
    this.accountName = found.name;
    this.resourceGroupName = pulumi.output(account.resourceGroupName);
    this.resourceGroupId = pulumi.output(
      `/subscriptions/${account.subscriptionId}/resourceGroups/${account.resourceGroupName}`,
    );
    // Thrown, not logged: a rejected endpoint stops every resource that reads it (files, job,
    // tuned deployment) from being registered, so nothing is uploaded to or trained in an
    // account that cannot fine-tune; pulumi.log.error would let them run. The read is an
    // invoke, which Pulumi also runs on preview, so the preview shows the message.
    this.endpoint = found.apply((facts) => {
      const problems = connectedAccountProblems(facts, args);
      if (problems.length > 0) throw new pulumi.ResourceError(problems.join("\n"), this);
      return facts.properties.endpoint!;
    });

    if (args.baseDeployment !== undefined) {
      this.baseDeployment = deployBaseModel(
        `${name}-base`,
        args.baseDeployment,
        { accountName: this.accountName, resourceGroupName: this.resourceGroupName },
        this,
      );
      this.accountWrites.push(this.baseDeployment);
    }
    this.baseDeploymentName = this.baseDeployment
      ? this.baseDeployment.name
      : pulumi.output(args.existingBaseDeploymentName);

    this.registerOutputs({
      accountName: this.accountName,
      endpoint: this.endpoint,
      baseDeploymentName: this.baseDeploymentName,
    });
  }
}

/** ARM writes regions as `swedencentral` or `Sweden Central`. */
const normalRegion = (region: string) => region.replace(/\s+/g, "").toLowerCase();

/**
 * What the existing account lacks for fine-tuning, each naming the setting and the fix. The
 * region must equal `location` so the config's catalog checks (model, training type, tuned
 * deployment) apply to the account's region.
 */
export function connectedAccountProblems(
  facts: AccountFacts,
  args: Pick<ConnectedAccountArgs, "account" | "location" | "baseModel" | "model">,
): string[] {
  const key = configKey("existingAccount");
  const { name, resourceGroupName } = args.account;
  const problems: string[] = [];
  if (!facts.properties.customSubDomainName || !facts.properties.endpoint) {
    problems.push(
      `${key} names account ${name}, which has no custom subdomain; Entra ID tokens, which this program uses, need one ` +
        `(https://learn.microsoft.com/azure/ai-services/authentication). Give it one (it cannot be changed later): ` +
        `Set-AzCognitiveServicesAccount -ResourceGroupName ${resourceGroupName} -Name ${name} -CustomSubdomainName <unique name>, or connect to another account`,
    );
  }
  if (facts.kind !== "AIServices" && facts.kind !== "OpenAI") {
    problems.push(
      `${key} names account ${name} of kind ${facts.kind ?? "(none)"}, which cannot fine-tune; connect to an AIServices or OpenAI account`,
    );
  } else if (args.model?.openAI === false && facts.kind !== "AIServices") {
    // "Open-source models … are only supported on Foundry resources" (MicrosoftDocs/azure-ai-docs
    // articles/foundry/includes/fine-tune-supported-models.md @ 10fd319b).
    problems.push(
      `${key} names account ${name} of kind ${facts.kind}, but ${args.baseModel} is fine-tuned only on Foundry (AIServices) accounts; ` +
        `connect to an AIServices account or change ${configKey("baseModel")}`,
    );
  }
  const region = facts.location === undefined ? undefined : normalRegion(facts.location);
  if (region !== normalRegion(args.location)) {
    problems.push(
      `${key} names account ${name} in ${region ?? "(no region)"} but ${configKey("location")} is "${args.location}"; ` +
        `set ${configKey("location")} to ${region ?? "the account's region"} so the model and training type are checked for the account's region`,
    );
  }
  return problems;
}
