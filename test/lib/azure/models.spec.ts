import { expect } from "chai";
import { assertFineTunable } from "../../../lib/azure/models";

// Models in Azure's shape (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/
// AzureOpenAI/authoring/stable/2024-10-21/examples/get_model_base.json: capabilities,
// lifecycle_status, deprecation in Unix seconds).
const model = (id: string, fineTune: boolean, extra: Record<string, unknown> = {}) => ({
  id,
  object: "model",
  created_at: 1646126127,
  capabilities: {
    fine_tune: fineTune,
    inference: true,
    completion: false,
    chat_completion: true,
    embeddings: false,
  },
  lifecycle_status: "generally-available",
  deprecation: { fine_tune: 1940889600, inference: 1940889600 },
  ...extra,
});

function fakeClient(models: ReturnType<typeof model>[]) {
  const notFound = Object.assign(new Error("404 The model was not found"), { status: 404 });
  return {
    models: {
      retrieve: async (id: string) => {
        const found = models.find((m) => m.id === id);
        if (!found) throw notFound;
        return found;
      },
      list: async () => ({ data: models }),
    },
  } as any;
}

describe("lib/azure/models assertFineTunable", () => {
  const account = [
    model("gpt-4.1-mini-2025-04-14", true),
    model("gpt-4o-mini-2024-07-18", true),
    model("gpt-4o-2024-11-20", false),
    model("gpt-35-turbo-0125", true, { lifecycle_status: "deprecated" }),
  ];
  const lines: string[] = [];

  it("passes a model the account reports as fine-tunable", async () => {
    await assertFineTunable(fakeClient(account), "gpt-4.1-mini-2025-04-14", "baseModel", (l) =>
      lines.push(l),
    );
  });

  for (const [id, reason] of [
    ["gpt-4o-2024-11-20", "the account reports capabilities.fine_tune false"],
    ["gpt-35-turbo-0125", 'the account reports lifecycle_status "deprecated"'],
    ["gpt-5-2030-01-01", "the account does not know it (404)"],
  ]) {
    it(`stops before anything is uploaded when ${reason}`, async () => {
      const err = await assertFineTunable(fakeClient(account), id, "baseModel", () => {}).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).to.equal(
        `\`baseModel\` "${id}" cannot be fine-tuned on this account: ${reason}. Nothing was uploaded or billed. ` +
          "Models this account reports as fine-tunable: gpt-4.1-mini-2025-04-14, gpt-4o-mini-2024-07-18.",
      );
    });
  }

  it("only logs a past fine-tuning deprecation date: Azure decides", async () => {
    const logged: string[] = [];
    const old = [model("gpt-4o-mini-2024-07-18", true, { deprecation: { fine_tune: 1735689600 } })];
    await assertFineTunable(
      fakeClient(old),
      "gpt-4o-mini-2024-07-18",
      "model",
      (l) => logged.push(l),
      () => Date.parse("2026-12-01T00:00:00Z"),
    );
    expect(logged).to.deep.equal([
      "model gpt-4o-mini-2024-07-18: the account lists fine-tuning as deprecated since 2025-01-01; trying anyway (Azure decides)",
    ]);
  });
});
