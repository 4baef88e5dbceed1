import type * as pulumi from "@pulumi/pulumi";

/** The account a TrainingFile or FineTuningJob lives in, and how it is called: arguments of both. */
export interface AccountArgs {
  /** Endpoint of the Azure OpenAI / AI Services account, e.g. `https://my-account.openai.azure.com/`. */
  readonly endpoint: pulumi.Input<string>;
  /**
   * Name of the account (`Account.name`). With it, a preview that only updates the account (its
   * endpoint is then unknown) does not show this resource replaced, while a renamed or replaced
   * account still does. Pass the account's `name` output, not a plain string: it is unknown only
   * when the account itself is replaced.
   */
  readonly accountName?: pulumi.Input<string>;
  /** Data-plane api-version; default `DEFAULT_API_VERSION` (lib/azure/apiVersion.ts). */
  readonly apiVersion?: pulumi.Input<string>;
}
