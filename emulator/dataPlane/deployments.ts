/**
 * Deployments and chat completions. Deployments are ARM resources in Azure (facts §0.6), which the
 * emulator does not serve; tests register them through the admin API instead. Chat answers are
 * deterministic: a base deployment gives a fixed reply; a fine-tuned deployment answers with the
 * assistant reply of the training example whose user messages are most similar (word Jaccard) to
 * the request's. That lookup stands in for tuned weights and is not a language model.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { countTokens } from "../../lib/trainingData/tokens";
import { AzureError, invalidPayload, quotaExceeded } from "../errors";
import { modelExists, unknownModel } from "./models";
import type { DeploymentRecord, EmulatorContext, TrainingExample } from "../state";
import { extractExamples, messageText } from "./trainingContent";

/** Observed 404 for an unknown deployment (inference surface). */
export const DEPLOYMENT_NOT_FOUND_MESSAGE =
  "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.";

/** Registers (or replaces, as an ARM PUT does) a deployment of a model the resource has. */
export function registerDeployment(
  ctx: EmulatorContext,
  name: string,
  model: string,
): DeploymentRecord {
  if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/.test(name)) {
    throw invalidPayload(
      `Deployment \`name\` ${JSON.stringify(name)} is invalid; use 2 to 64 characters from letters, digits, '.', '-' and '_'.`,
      "name",
    );
  }
  if (typeof model !== "string" || !modelExists(ctx, model)) {
    throw unknownModel(String(model));
  }
  const tuned = ctx.state.tunedModels.has(model);
  const existing = ctx.state.deployments.get(name);
  const tunedDeployments = [...ctx.state.deployments.values()].filter(
    (d) => d.name !== name && ctx.state.tunedModels.has(d.model),
  ).length;
  if (tuned && tunedDeployments >= ctx.settings.limits.maxFineTunedDeployments) {
    throw quotaExceeded(
      `The resource already has ${tunedDeployments} fine-tuned model deployments; the maximum is ${ctx.settings.limits.maxFineTunedDeployments}.`,
    );
  }
  const record: DeploymentRecord = {
    name,
    model,
    createdAt: existing?.createdAt ?? ctx.nowSeconds(),
  };
  ctx.state.deployments.set(name, record);
  return record;
}

/** Deletes a deployment; false when there was none. */
export function deleteDeployment(ctx: EmulatorContext, name: string): boolean {
  return ctx.state.deployments.delete(name);
}

/** Lower-case words and numbers of a text. */
export function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/** Jaccard similarity of two word sets. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) {
    return 0;
  }
  let shared = 0;
  for (const word of a) {
    if (b.has(word)) {
      shared += 1;
    }
  }
  return shared / (a.size + b.size - shared);
}

/** The training example closest to a prompt; the first one wins ties. */
export function closestExample(
  examples: readonly TrainingExample[],
  prompt: string,
): TrainingExample | undefined {
  const asked = words(prompt);
  let best: TrainingExample | undefined;
  let bestScore = -1;
  for (const example of examples) {
    const score = jaccard(asked, words(example.prompt));
    if (score > bestScore) {
      best = example;
      bestScore = score;
    }
  }
  return best;
}

interface ChatMessage {
  readonly role: string;
  readonly content: unknown;
}

function parseMessages(body: unknown): ChatMessage[] {
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalidPayload(
      "'messages' is a required property and must be a non-empty array.",
      "messages",
    );
  }
  return messages.map((m, i) => {
    if (!m || typeof m !== "object" || typeof (m as { role?: unknown }).role !== "string") {
      throw invalidPayload(`'messages[${i}].role' is required.`, `messages[${i}].role`);
    }
    return m as ChatMessage;
  });
}

/** Prompt tokens as OpenAI counts chat input: 3 per message + content + 3 for the reply primer. */
function promptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce(
    (sum, m) => sum + 3 + countTokens(m.role) + countTokens(messageText(m.content)),
    3,
  );
}

function reply(
  ctx: EmulatorContext,
  deployment: DeploymentRecord,
  messages: readonly ChatMessage[],
): string {
  const tuned = ctx.state.tunedModels.get(deployment.model);
  const prompt = messages
    .filter((m) => m.role === "user")
    .map((m) => messageText(m.content))
    .join("\n");
  if (tuned && !tuned.examples) {
    tuned.examples = extractExamples(tuned.trainingContent);
  }
  const example = tuned?.examples ? closestExample(tuned.examples, prompt) : undefined;
  if (example) {
    return example.reply;
  }
  return `This is a reply from the emulated base model ${deployment.model} on deployment ${deployment.name}.`;
}

function completion(
  ctx: EmulatorContext,
  deployment: DeploymentRecord,
  body: unknown,
): Record<string, unknown> {
  const messages = parseMessages(body);
  if ((body as { stream?: unknown }).stream === true) {
    throw invalidPayload("The emulator does not stream; send `stream: false`.", "stream");
  }
  const content = reply(ctx, deployment, messages);
  const prompt = promptTokens(messages);
  const completionTokens = countTokens(content);
  const safe = { filtered: false, severity: "safe" };
  const filters = { hate: safe, self_harm: safe, sexual: safe, violence: safe };
  return {
    id: `chatcmpl-${randomUUID().replace(/-/g, "")}`,
    object: "chat.completion",
    created: ctx.nowSeconds(),
    model: deployment.model,
    system_fingerprint: "fp_emulator",
    // Azure adds content-filter annotations to every completion.
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: filters }],
    choices: [
      {
        index: 0,
        finish_reason: "stop",
        logprobs: null,
        message: { role: "assistant", content, refusal: null },
        content_filter_results: filters,
      },
    ],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completionTokens,
      total_tokens: prompt + completionTokens,
    },
  };
}

function findDeployment(ctx: EmulatorContext, name: unknown): DeploymentRecord {
  const deployment = typeof name === "string" ? ctx.state.deployments.get(name) : undefined;
  if (!deployment) {
    throw new AzureError(404, "DeploymentNotFound", DEPLOYMENT_NOT_FOUND_MESSAGE, null, "gateway");
  }
  return deployment;
}

/** Registers chat completions: dated `/deployments/{name}/chat/completions`, v1 with `model` = deployment. */
export function registerChatRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post("/openai/deployments/:deploymentId/chat/completions", async (request) =>
    completion(
      ctx,
      findDeployment(ctx, (request.params as { deploymentId: string }).deploymentId),
      request.body,
    ),
  );
  app.post("/openai/v1/chat/completions", async (request) =>
    completion(
      ctx,
      findDeployment(ctx, (request.body as { model?: unknown } | undefined)?.model),
      request.body,
    ),
  );
}
