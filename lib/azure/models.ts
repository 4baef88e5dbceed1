/**
 * Asks the account whether it can fine-tune a model, before anything is uploaded or billed.
 * The answer is Azure's `Model` (`GET /openai/models/{model-id}`): `capabilities.fine_tune`,
 * `lifecycle_status` and `deprecation.fine_tune` (Azure/azure-rest-api-specs
 * `specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json`
 * @ 3ecc2097, definitions `Model`, `Capabilities`, `Deprecation`). The project's catalog only
 * warns at preview; here the account decides.
 */
import type { AzureOpenAI } from "openai";
import { isNotFound } from "./errors";
import { withRetries } from "./retry";

/** The fields of Azure's Model this check reads. */
interface AzureModel {
  id: string;
  capabilities?: { fine_tune?: boolean };
  lifecycle_status?: string;
  deprecation?: { fine_tune?: number };
}

/**
 * Throws, naming `input` and the models the account reports as fine-tunable, when the account
 * does not know `model`, reports it as not fine-tunable, or as deprecated. A past
 * `deprecation.fine_tune` date only logs a line: Microsoft moves these dates, and the job create
 * gets Azure's own refusal if it holds.
 * @param input The input or config key that names the model, for the message.
 */
export async function assertFineTunable(
  client: AzureOpenAI,
  model: string,
  input: string,
  log: (line: string) => void,
  now: () => number = Date.now,
): Promise<void> {
  let found: AzureModel | undefined;
  try {
    found = (await withRetries("read model", () =>
      client.models.retrieve(model),
    )) as unknown as AzureModel;
  } catch (err) {
    if (!isNotFound(err)) {
      throw err;
    }
  }
  const reason =
    found === undefined
      ? "the account does not know it (404)"
      : found.capabilities?.fine_tune !== true
        ? "the account reports capabilities.fine_tune false"
        : found.lifecycle_status === "deprecated"
          ? 'the account reports lifecycle_status "deprecated"'
          : undefined;
  if (reason === undefined) {
    const until = found?.deprecation?.fine_tune;
    if (typeof until === "number" && until * 1000 < now()) {
      log(
        `model ${model}: the account lists fine-tuning as deprecated since ${new Date(until * 1000).toISOString().slice(0, 10)}; ` +
          "trying anyway (Azure decides)",
      );
    }
    return;
  }
  const tunable = await fineTunableModels(client);
  throw new Error(
    `\`${input}\` "${model}" cannot be fine-tuned on this account: ${reason}. Nothing was uploaded or billed. ` +
      `Models this account reports as fine-tunable: ${tunable.length > 0 ? tunable.join(", ") : "none"}.`,
  );
}

/** Ids of the models the account reports with `capabilities.fine_tune` true, sorted. */
async function fineTunableModels(client: AzureOpenAI): Promise<string[]> {
  const page = await withRetries("list models", () => client.models.list());
  return (page.data as unknown as AzureModel[])
    .filter((m) => m.capabilities?.fine_tune === true && m.lifecycle_status !== "deprecated")
    .map((m) => m.id)
    .sort();
}
