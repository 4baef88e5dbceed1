/**
 * Chat completions on deployments. Answers are deterministic stand-ins, not a language model: a
 * base deployment gives a fixed reply; a fine-tuned deployment answers with the assistant reply
 * of the training example whose user messages share the most words (Jaccard) with the request,
 * and like its base model when no example shares a word. `max_tokens` cuts the reply (finish
 * `length`), `n` repeats it, usage counts o200k tokens.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { decode, encode } from "gpt-tokenizer/cjs/encoding/o200k_base";
import { countTokens } from "../../lib/trainingData/tokens";
import { AzureError } from "../errors";
import type { DeploymentRecord, EmulatorContext, TrainingExample } from "../state";
import { ChatMessage, ChatRequest, parseChatRequest } from "./chatRequest";
import { supportsChat } from "./models";
import { extractExamples, messageText } from "./trainingContent";

/** Observed 404 for an unknown deployment (inference surface). */
export const DEPLOYMENT_NOT_FOUND_MESSAGE =
  "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.";

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

/**
 * The training example closest to a prompt; the first one wins ties. None when no example shares
 * a word with the prompt: the tuned model then answers like its base model.
 */
export function closestExample(
  examples: readonly TrainingExample[],
  prompt: string,
): TrainingExample | undefined {
  const asked = words(prompt);
  let best: TrainingExample | undefined;
  let bestScore = 0;
  for (const example of examples) {
    const score = jaccard(asked, words(example.prompt));
    if (score > bestScore) {
      best = example;
      bestScore = score;
    }
  }
  return best;
}

/** Prompt tokens as OpenAI counts chat input: 3 per message + content + 3 for the reply primer. */
function promptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce(
    (sum, m) => sum + 3 + countTokens(m.role) + countTokens(messageText(m.content)),
    3,
  );
}

/** The base model's stand-in reply. */
export function baseReply(model: string, deployment: string): string {
  return `This is a reply from the emulated base model ${model} on deployment ${deployment}.`;
}

function reply(
  ctx: EmulatorContext,
  deployment: DeploymentRecord,
  messages: readonly ChatMessage[],
): string {
  const tuned = ctx.state.tunedModels.get(deployment.model);
  if (!tuned) {
    return baseReply(deployment.model, deployment.name);
  }
  const prompt = messages
    .filter((m) => m.role === "user")
    .map((m) => messageText(m.content))
    .join("\n");
  tuned.examples ??= extractExamples(tuned.trainingContent);
  return (
    closestExample(tuned.examples, prompt)?.reply ?? baseReply(tuned.baseModel, deployment.name)
  );
}

/** The reply cut to `maxTokens` tokens, and whether it was cut. */
function capped(text: string, maxTokens: number | undefined): { text: string; cut: boolean } {
  if (maxTokens === undefined || countTokens(text) <= maxTokens) {
    return { text, cut: false };
  }
  return { text: decode(encode(text).slice(0, maxTokens)), cut: true };
}

function completion(
  ctx: EmulatorContext,
  deployment: DeploymentRecord,
  request: ChatRequest,
): Record<string, unknown> {
  const { text, cut } = capped(reply(ctx, deployment, request.messages), request.maxTokens);
  const prompt = promptTokens(request.messages);
  const completionTokens = countTokens(text) * request.n;
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
    choices: Array.from({ length: request.n }, (_, index) => ({
      index,
      finish_reason: cut ? "length" : "stop",
      logprobs: null,
      message: { role: "assistant", content: text, refusal: null },
      content_filter_results: filters,
    })),
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
  if (!supportsChat(ctx, deployment.model)) {
    // Observed body: microsoft/graphrag#1557.
    throw new AzureError(
      400,
      "OperationNotSupported",
      `The chatCompletion operation does not work with the specified model, ${deployment.model}. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.`,
      null,
      "gateway",
    );
  }
  return deployment;
}

/** Registers chat completions: dated `/deployments/{name}/chat/completions`, v1 with `model` = deployment. */
export function registerChatRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post("/openai/deployments/:deploymentId/chat/completions", async (request) => {
    const deployment = findDeployment(
      ctx,
      (request.params as { deploymentId: string }).deploymentId,
    );
    return completion(ctx, deployment, parseChatRequest(request.body));
  });
  app.post("/openai/v1/chat/completions", async (request) => {
    const body = request.body as { model?: unknown } | undefined;
    return completion(ctx, findDeployment(ctx, body?.model), parseChatRequest(body));
  });
}
