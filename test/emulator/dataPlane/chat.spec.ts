import { expect } from "chai";
import { AzureOpenAI } from "openai";
import { countTokens } from "../../../lib/trainingData/tokens";
import {
  closestExample,
  DEPLOYMENT_NOT_FOUND_MESSAGE,
  jaccard,
  words,
} from "../../../emulator/dataPlane/chat";
import type { RunningEmulator } from "../../../emulator/server";
import { CITY_EXAMPLES, GA, raw, startWithTuned } from "../support";

/** Prompt tokens for one user message as the emulator counts them (3 per message + role + content + 3). */
function promptTokens(text: string): number {
  return 3 + countTokens("user") + countTokens(text) + 3;
}

describe("emulator chat completions on deployments", () => {
  let emulator: RunningEmulator;
  let tuned: string;

  before(async () => {
    ({ emulator, tuned } = await startWithTuned("travel-ft"));
  });
  after(() => emulator.close());

  it("answers a base deployment through AzureOpenAI({ deployment }) with a chat.completion and usage", async () => {
    emulator.admin.registerDeployment("base-4o", "gpt-4o-2024-08-06");
    const openai = new AzureOpenAI({
      endpoint: emulator.endpoint,
      apiKey: emulator.apiKey,
      apiVersion: GA,
      deployment: "base-4o",
    });
    const completion = await openai.chat.completions.create({
      model: "ignored-when-deployment-is-set",
      messages: [{ role: "user", content: "Hello there" }],
    });
    const content =
      "This is a reply from the emulated base model gpt-4o-2024-08-06 on deployment base-4o.";
    expect(completion.object).to.equal("chat.completion");
    expect(completion.model).to.equal("gpt-4o-2024-08-06");
    expect(
      completion.choices.map((c) => ({
        index: c.index,
        finish: c.finish_reason,
        message: c.message,
      })),
    ).to.deep.equal([
      { index: 0, finish: "stop", message: { role: "assistant", content, refusal: null } },
    ]);
    const prompt = promptTokens("Hello there");
    expect(completion.usage).to.deep.equal({
      prompt_tokens: prompt,
      completion_tokens: countTokens(content),
      total_tokens: prompt + countTokens(content),
    });
  });

  it("answers a tuned deployment with the reply of the closest training example", async () => {
    const openai = new AzureOpenAI({
      endpoint: emulator.endpoint,
      apiKey: emulator.apiKey,
      apiVersion: GA,
    });
    const completion = await openai.chat.completions.create({
      model: "travel-ft",
      messages: [
        { role: "system", content: "You answer travel questions." },
        { role: "user", content: "which museum is worth seeing in Madrid" },
      ],
    });
    expect(completion.choices[0].message.content).to.equal("See the Prado in Madrid.");
    expect(completion.model).to.equal(tuned);
  });

  it("serves v1 chat with the deployment name as model", async () => {
    const res = await raw(emulator, "POST", "/openai/v1/chat/completions", {
      body: {
        model: "travel-ft",
        messages: [{ role: "user", content: "tulips in Amsterdam when?" }],
      },
    });
    expect(res.status).to.equal(200);
    expect(
      (res.body as { choices: { message: { content: string } }[] }).choices[0].message.content,
    ).to.equal("Amsterdam tulips bloom from late March to mid May.");
  });

  it("answers an unknown deployment with 404 DeploymentNotFound", async () => {
    const res = await raw(
      emulator,
      "POST",
      `/openai/deployments/missing/chat/completions?api-version=${GA}`,
      {
        body: { messages: [{ role: "user", content: "hi" }] },
      },
    );
    expect(res.status).to.equal(404);
    expect(res.body).to.deep.equal({
      error: { code: "DeploymentNotFound", message: DEPLOYMENT_NOT_FOUND_MESSAGE },
    });
    expect(DEPLOYMENT_NOT_FOUND_MESSAGE).to.equal(
      "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
    );
  });

  describe("closest example", () => {
    const examples = CITY_EXAMPLES.map(([prompt, reply]) => ({ prompt, reply }));

    it("scores word overlap with Jaccard similarity", () => {
      expect(jaccard(words("a b c"), words("B C d"))).to.equal(0.5);
      expect(jaccard(words(""), words(""))).to.equal(0);
    });

    it("picks the example sharing the most words and the first one on ties", () => {
      expect(closestExample(examples, "Rome: how many days?")?.reply).to.equal(
        "Plan three to four days in Rome.",
      );
      const tied = [
        { prompt: "red apple", reply: "first" },
        { prompt: "red pear", reply: "second" },
      ];
      expect(closestExample(tied, "red")?.reply).to.equal("first");
    });

    it("finds no example when the prompt shares no word with the training data", () => {
      expect(closestExample(examples, "¿Cuál es la capital de Noruega?")).to.equal(undefined);
    });
  });
});
