import * as pulumi from "@pulumi/pulumi";
import { envNumber } from "../lib/env";

/** Where the account to purge lives. */
export interface AccountPurgeArgs {
  /** Subscription that holds the account. */
  readonly subscriptionId: pulumi.Input<string>;
  /** Resource group that held the account. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Region of the account (the deleted-accounts API is addressed per region). */
  readonly location: pulumi.Input<string>;
  /** Name of the Cognitive Services account. */
  readonly accountName: pulumi.Input<string>;
}

interface AccountPurgeInputs {
  subscriptionId: string;
  resourceGroupName: string;
  location: string;
  accountName: string;
}

type AccountPurgeOutputs = AccountPurgeInputs;

const KEYS: (keyof AccountPurgeInputs)[] = [
  "subscriptionId",
  "resourceGroupName",
  "location",
  "accountName",
];

/**
 * Purges the soft-deleted account when this resource is deleted. Azure keeps a deleted AI
 * account for 48 hours and refuses to create one with the same name meanwhile, which breaks a
 * `destroy` then `up` of the same stack. The account depends on this resource, so destroy
 * deletes the account first and this purge second.
 */
export const accountPurgeProvider: pulumi.dynamic.ResourceProvider<
  AccountPurgeInputs,
  AccountPurgeOutputs
> = {
  async check(_olds, news) {
    const failures = KEYS.filter((k) => typeof news[k] !== "string" || news[k] === "").map((k) => ({
      property: k,
      reason: `\`${k}\` must be a non-empty string`,
    }));
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replaces = KEYS.filter((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    return {
      id: `${inputs.subscriptionId}/${inputs.location}/${inputs.resourceGroupName}/${inputs.accountName}`,
      outs: inputs,
    };
  },

  async read(id, props) {
    return { id, props };
  },

  async delete(_id, props) {
    // Read at call time, never captured: the provider code is stored in state.
    const arm = (
      process.env.AZURE_RESOURCE_MANAGER_ENDPOINT ?? "https://management.azure.com"
    ).replace(/\/+$/, "");
    const url =
      `${arm}/subscriptions/${props.subscriptionId}/providers/Microsoft.CognitiveServices/locations/` +
      `${props.location}/resourceGroups/${props.resourceGroupName}/deletedAccounts/${props.accountName}` +
      "?api-version=2024-10-01";
    let token = process.env.AZURE_RESOURCE_MANAGER_TOKEN;
    if (!token) {
      const { DefaultAzureCredential } = require("@azure/identity");
      const result = await new DefaultAzureCredential().getToken(
        "https://management.azure.com/.default",
      );
      token = result.token as string;
    }
    const headers = { authorization: `Bearer ${token}` };
    const pollMs = envNumber("AZURE_PURGE_POLL_MS", 10_000);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    // The soft-deleted record can take a moment to appear after the account's delete returns.
    for (let attempt = 1; attempt <= 6; attempt++) {
      const res = await fetch(url, { method: "DELETE", headers });
      if (res.status === 200 || res.status === 204) {
        console.log(`purged soft-deleted account ${props.accountName}`);
        return;
      }
      if (res.status === 202) {
        const poll = res.headers.get("azure-asyncoperation") ?? res.headers.get("location");
        for (let i = 0; poll && i < 60; i++) {
          await sleep(pollMs);
          const status = await fetch(poll, { headers });
          const body =
            status.status === 200
              ? ((await status.json().catch(() => ({}))) as { status?: string })
              : {};
          if (status.status === 200 && (body.status === undefined || body.status === "Succeeded"))
            break;
          if (body.status === "Failed" || body.status === "Canceled") {
            throw new Error(
              `purging soft-deleted account ${props.accountName} ended ${body.status}: ${JSON.stringify(body)}`,
            );
          }
        }
        console.log(`purged soft-deleted account ${props.accountName}`);
        return;
      }
      if (res.status !== 404) {
        const text = await res.text();
        throw new Error(
          `purging soft-deleted account ${props.accountName} failed: ${res.status} ${text.slice(0, 300)}. ` +
            "The deploying identity needs Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete " +
            "(Contributor on the subscription); or set `azure-openai-finetune:purgeOnDestroy` to false.",
        );
      }
      console.log(`waiting for soft-deleted account ${props.accountName} to appear (${attempt}/6)`);
      await sleep(pollMs);
    }
    // Nothing soft-deleted under that name: already purged, or never created.
  },
};

/** Purges the soft-deleted Cognitive Services account after the account itself is deleted. */
export class AccountPurge extends pulumi.dynamic.Resource {
  declare readonly accountName: pulumi.Output<string>;

  constructor(name: string, args: AccountPurgeArgs, opts?: pulumi.CustomResourceOptions) {
    super(accountPurgeProvider, name, { ...args }, opts, "azure-openai", "AccountPurge");
  }
}
