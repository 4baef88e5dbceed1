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

/** Polls of an accepted purge before giving up (at the default 10 s: 10 minutes). */
const MAX_PURGE_POLLS = 60;

/**
 * Waits until Azure confirms an accepted (202) purge, or throws: a purge that is only accepted
 * leaves the name reserved for 48 hours, which is what this resource exists to prevent. With an
 * `Azure-AsyncOperation` header the operation must report `Succeeded`; with a `Location` header
 * the location must answer 200 or 204 (ARM's asynchronous pattern:
 * https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/async-operations);
 * with neither, the deleted-account record must be gone (404 on the same URL).
 */
async function confirmPurge(
  accepted: Response,
  url: string,
  headers: Record<string, string>,
  pollMs: number,
  accountName: string,
): Promise<void> {
  const operation = accepted.headers.get("azure-asyncoperation");
  const location = accepted.headers.get("location");
  for (let i = 0; i < MAX_PURGE_POLLS; i++) {
    await new Promise((r) => setTimeout(r, pollMs));
    const poll = await fetch(operation ?? location ?? url, { headers });
    if (operation) {
      const body =
        poll.status === 200 ? ((await poll.json().catch(() => ({}))) as { status?: string }) : {};
      if (body.status === "Succeeded") return;
      if (body.status === "Failed" || body.status === "Canceled") {
        throw new Error(
          `purging soft-deleted account ${accountName} ended ${body.status}: ${JSON.stringify(body)}`,
        );
      }
    } else if (location ? [200, 204].includes(poll.status) : poll.status === 404) {
      return;
    }
  }
  throw new Error(
    `purging soft-deleted account ${accountName}: Azure accepted the purge but did not confirm it after ` +
      `${MAX_PURGE_POLLS} polls, so the name may stay reserved for 48 hours. Check with ` +
      "`az cognitiveservices account list-deleted`, then run `pulumi destroy` again.",
  );
}

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
        await confirmPurge(res, url, headers, pollMs, props.accountName);
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
