/**
 * Models API (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097; Azure/azure-rest-api-specs specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml @ 2d621d46): base models of the resource plus its successful fine-tuned models,
 * in Azure's Model shape (capabilities, lifecycle_status, deprecation), and deletion of a
 * fine-tuned model, refused while a deployment uses it (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning).
 */
import type { FastifyInstance } from "fastify";
import { FINE_TUNABLE_MODELS } from "../../lib/models";
import { AzureError, conflict, invalidPayload, notFound } from "../errors";
import type { EmulatorContext, TunedModelRecord } from "../state";

interface Capabilities {
  readonly fine_tune: boolean;
  readonly inference: boolean;
  readonly completion: boolean;
  readonly chat_completion: boolean;
  readonly embeddings: boolean;
}

interface BaseModel {
  readonly id: string;
  readonly createdAt: number;
  readonly capabilities: Capabilities;
}

const YEAR_SECONDS = 365 * 24 * 60 * 60;

function versionDate(version: string): number {
  return Math.floor(Date.parse(`${version}T00:00:00Z`) / 1000);
}

const CHAT: Capabilities = {
  fine_tune: false,
  inference: true,
  completion: false,
  chat_completion: true,
  embeddings: false,
};

/**
 * Base models the emulated resource lists: every fine-tunable model of lib/models.ts, plus a chat
 * model and an embeddings model that cannot be fine-tuned, so clients see both kinds.
 */
export const BASE_MODELS: readonly BaseModel[] = [
  ...Object.entries(FINE_TUNABLE_MODELS).map(([id, info]) => ({
    id,
    createdAt: versionDate(info.version),
    capabilities: { ...CHAT, fine_tune: true },
  })),
  { id: "gpt-4o-2024-11-20", createdAt: versionDate("2024-11-20"), capabilities: CHAT },
  {
    id: "text-embedding-3-small",
    createdAt: versionDate("2024-01-25"),
    capabilities: { ...CHAT, chat_completion: false, embeddings: true },
  },
];

function baseModelJson(model: BaseModel): Record<string, unknown> {
  // Deprecation dates are placeholders (one and two years after release); the real ones are per model.
  const deprecation: Record<string, number> = { inference: model.createdAt + 2 * YEAR_SECONDS };
  if (model.capabilities.fine_tune) {
    deprecation.fine_tune = model.createdAt + YEAR_SECONDS;
  }
  return {
    object: "model",
    id: model.id,
    created_at: model.createdAt,
    status: "succeeded",
    capabilities: model.capabilities,
    lifecycle_status: "generally-available",
    deprecation,
  };
}

function tunedModelJson(model: TunedModelRecord): Record<string, unknown> {
  return {
    object: "model",
    id: model.id,
    created_at: model.createdAt,
    status: "succeeded",
    model: model.baseModel,
    fine_tune: model.jobId,
    // Tuned OpenAI models can be tuned again (continuous fine-tuning, https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning).
    capabilities: { ...CHAT, fine_tune: true },
    lifecycle_status: "generally-available",
    deprecation: { inference: model.createdAt + YEAR_SECONDS },
  };
}

/** True when the resource has this model (base or fine-tuned). */
export function modelExists(ctx: EmulatorContext, id: string): boolean {
  return ctx.state.tunedModels.has(id) || BASE_MODELS.some((m) => m.id === id);
}

/** True when the model can answer chat completions (tuned models always can). */
export function supportsChat(ctx: EmulatorContext, id: string): boolean {
  return (
    ctx.state.tunedModels.has(id) ||
    BASE_MODELS.some((m) => m.id === id && m.capabilities.chat_completion)
  );
}

/** Deletes a fine-tuned model, as `DELETE /models/{id}` does. */
export function deleteTunedModel(ctx: EmulatorContext, id: string): void {
  const model = ctx.state.tunedModels.get(id);
  if (!model) {
    if (BASE_MODELS.some((m) => m.id === id)) {
      throw invalidPayload(
        `Model '${id}' is a base model; only fine-tuned models can be deleted.`,
        "model",
      );
    }
    throw notFound(`The model '${id}' does not exist.`);
  }
  const users = [...ctx.state.deployments.values()]
    .filter((d) => d.model === id)
    .map((d) => d.name);
  if (users.length > 0) {
    throw conflict(
      `The model '${id}' cannot be deleted because it has deployments: ${users.join(", ")}. ` +
        "Delete the deployments first.",
    );
  }
  ctx.state.tunedModels.delete(id);
}

function findModelJson(ctx: EmulatorContext, id: string): Record<string, unknown> {
  const tuned = ctx.state.tunedModels.get(id);
  if (tuned) {
    return tunedModelJson(tuned);
  }
  const base = BASE_MODELS.find((m) => m.id === id);
  if (base) {
    return baseModelJson(base);
  }
  throw notFound(`The model '${id}' does not exist.`);
}

/** Registers the Models API on both surfaces. */
export function registerModelRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  for (const base of ["/openai", "/openai/v1"]) {
    app.get(`${base}/models`, async () => ({
      object: "list",
      data: [
        ...BASE_MODELS.map(baseModelJson),
        ...[...ctx.state.tunedModels.values()].map(tunedModelJson),
      ],
    }));

    app.get(`${base}/models/:modelId`, async (request) =>
      findModelJson(ctx, (request.params as { modelId: string }).modelId),
    );
  }
  // Only the v1 spec defines DELETE /models/{model} (Azure/azure-rest-api-specs
  // specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml @ 31c65e1b80195ae589bc7f4b3d9a0c850c668b3c);
  // the dated authoring specs have no delete, so the
  // dated path falls through to the gateway's 404 like any unserved route.
  app.delete("/openai/v1/models/:modelId", async (request) => {
    const id = (request.params as { modelId: string }).modelId;
    deleteTunedModel(ctx, id);
    return { id, object: "model", deleted: true };
  });
}

/** Error for a deployment that names a model the resource does not have. */
export function unknownModel(id: string): AzureError {
  return invalidPayload(
    `The model '${id}' does not exist on this resource; use a base model (${BASE_MODELS.map((m) => m.id).join(", ")}) ` +
      "or a fine-tuned model of a succeeded job.",
    "model",
  );
}
