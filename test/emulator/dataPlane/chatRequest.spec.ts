import { expect } from "chai";
import { countTokens } from "../../../lib/trainingData/tokens";
import type { RunningEmulator } from "../../../emulator/server";
import { GA, raw, startWithTuned } from "../support";

type Completion = {
  model: string;
  choices: { index: number; finish_reason: string; message: { content: string } }[];
  usage: { completion_tokens: number };
};

describe("emulator chat request handling", () => {
  let emulator: RunningEmulator;
  let tuned: string;

  before(async () => {
    ({ emulator, tuned } = await startWithTuned("travel-ft"));
    emulator.admin.registerDeployment("base", "gpt-4o-mini-2024-07-18");
    emulator.admin.registerDeployment("embed", "text-embedding-3-small");
  });
  after(() => emulator.close());

  function chat(deployment: string, body: Record<string, unknown>) {
    return raw(
      emulator,
      "POST",
      `/openai/deployments/${deployment}/chat/completions?api-version=${GA}`,
      { body },
    );
  }
  const hello = [{ role: "user", content: "Hello there" }];

  it("answers a prompt that shares no word with the training data like the base model", async () => {
    const res = await chat("travel-ft", {
      messages: [{ role: "user", content: "¿Cuál es la capital de Noruega?" }],
    });
    expect(res.status).to.equal(200);
    const body = res.body as Completion;
    expect(body.model).to.equal(tuned);
    expect(body.choices[0].message.content).to.equal(
      "This is a reply from the emulated base model gpt-4o-mini-2024-07-18 on deployment travel-ft.",
    );
  });

  it("cuts the reply at max_tokens (or max_completion_tokens) with finish_reason length", async () => {
    for (const key of ["max_tokens", "max_completion_tokens"]) {
      const body = (await chat("base", { messages: hello, [key]: 3 })).body as Completion;
      expect(body.choices[0].finish_reason, key).to.equal("length");
      expect(body.choices[0].message.content, key).to.equal("This is a");
      expect(body.usage.completion_tokens, key).to.equal(3);
    }
    const roomy = (await chat("base", { messages: hello, max_tokens: 500 })).body as Completion;
    expect(roomy.choices[0].finish_reason).to.equal("stop");
  });

  it("returns n choices and counts their tokens", async () => {
    const body = (await chat("base", { messages: hello, n: 3 })).body as Completion;
    expect(body.choices.map((c) => c.index)).to.deep.equal([0, 1, 2]);
    const one = countTokens(body.choices[0].message.content);
    expect(body.usage.completion_tokens).to.equal(3 * one);
  });

  it("refuses an unknown role with Azure's invalid_value body", async () => {
    const res = await chat("base", { messages: [...hello, { role: "computer", content: "x" }] });
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({
      error: {
        message:
          "Invalid value: 'computer'. Supported values are: 'system', 'assistant', 'user', 'function', and 'tool'.",
        type: "invalid_request_error",
        param: "messages[1].role",
        code: "invalid_value",
      },
    });
  });

  it("refuses null content except on an assistant message that calls a tool", async () => {
    const res = await chat("base", { messages: [{ role: "user", content: null }] });
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({
      error: {
        message: "Invalid value for 'content': expected a string, got null.",
        type: "invalid_request_error",
        param: "messages.[0].content",
        code: null,
      },
    });
    const toolCall = {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }],
    };
    const ok = await chat("base", {
      messages: [...hello, toolCall, { role: "tool", tool_call_id: "call_1", content: "done" }],
    });
    expect(ok.status).to.equal(200);
  });

  it("takes 2048 messages and refuses 2049", async () => {
    const many = (count: number) => Array.from({ length: count }, () => hello[0]);
    expect((await chat("base", { messages: many(2048) })).status).to.equal(200);
    const res = await chat("base", { messages: many(2049) });
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({
      error: {
        message:
          "Invalid 'messages': array too long. Expected an array with maximum length 2048, but got an array with length 2049 instead.",
        type: "invalid_request_error",
        param: "messages",
        code: "array_above_max_length",
      },
    });
  });

  it("refuses max_tokens below 1 and n above 128", async () => {
    const zero = await chat("base", { messages: hello, max_tokens: 0 });
    expect(zero.status).to.equal(400);
    expect((zero.body as { error: { code: string } }).error.code).to.equal(
      "integer_below_min_value",
    );
    const many = await chat("base", { messages: hello, n: 129 });
    expect((many.body as { error: { code: string } }).error.code).to.equal(
      "integer_above_max_value",
    );
  });

  it("refuses chat on an embeddings deployment with OperationNotSupported", async () => {
    const res = await chat("embed", { messages: hello });
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({
      error: {
        code: "OperationNotSupported",
        message:
          "The chatCompletion operation does not work with the specified model, text-embedding-3-small. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.",
      },
    });
  });
});
