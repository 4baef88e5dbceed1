import { expect } from "chai";
import OpenAI from "openai";
import { FINE_TUNABLE_MODEL_IDS } from "../../../lib/models";
import type { RunningEmulator } from "../../../emulator/server";
import { client, GA, raw, startFast, trainModel } from "../support";

describe("emulator Models API", () => {
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startFast();
  });
  afterEach(() => emulator.close());

  it("lists the fine-tunable base models and models that cannot be fine-tuned", async () => {
    const models = await client(emulator).models.list();
    expect(models.data.map((m) => m.id)).to.deep.equal([
      ...FINE_TUNABLE_MODEL_IDS,
      "gpt-4o-2024-11-20",
      "text-embedding-3-small",
    ]);
    const base = await raw(emulator, "GET", `/openai/models/gpt-4o-2024-11-20?api-version=${GA}`);
    expect(base.body).to.deep.equal({
      object: "model",
      id: "gpt-4o-2024-11-20",
      created_at: 1732060800,
      status: "succeeded",
      capabilities: {
        fine_tune: false,
        inference: true,
        completion: false,
        chat_completion: true,
        embeddings: false,
      },
      lifecycle_status: "generally-available",
      deprecation: { inference: 1795132800 },
    });
  });

  it("lists a succeeded job's tuned model with its base and job", async () => {
    const openai = client(emulator);
    const job = await trainModel(openai);
    const tuned = job.fine_tuned_model as string;
    const listed = (await openai.models.list()).data.map((m) => m.id);
    expect(listed[listed.length - 1]).to.equal(tuned);
    const model = (await raw(emulator, "GET", `/openai/v1/models/${tuned}`)).body as Record<
      string,
      unknown
    >;
    expect(model).to.deep.equal({
      object: "model",
      id: tuned,
      created_at: model.created_at,
      status: "succeeded",
      model: "gpt-4o-mini-2024-07-18",
      fine_tune: job.id,
      capabilities: {
        fine_tune: true,
        inference: true,
        completion: false,
        chat_completion: true,
        embeddings: false,
      },
      lifecycle_status: "generally-available",
      deprecation: { inference: (model.created_at as number) + 365 * 24 * 3600 },
    });
  });

  it("refuses to delete a tuned model while a deployment uses it, then deletes it", async () => {
    const openai = client(emulator);
    const tuned = (await trainModel(openai)).fine_tuned_model as string;
    emulator.admin.registerDeployment("tuned", tuned);
    const refused = await raw(emulator, "DELETE", `/openai/v1/models/${tuned}`);
    expect(refused.status).to.equal(409);
    expect(refused.body).to.deep.equal({
      error: {
        code: "conflict",
        message: `The model '${tuned}' cannot be deleted because it has deployments: tuned. Delete the deployments first.`,
        param: null,
        type: "error",
      },
    });
    expect(emulator.admin.deleteDeployment("tuned")).to.equal(true);
    const v1 = new OpenAI({ baseURL: `${emulator.endpoint}/openai/v1`, apiKey: emulator.apiKey });
    expect(await v1.models.delete(tuned)).to.deep.equal({
      id: tuned,
      object: "model",
      deleted: true,
    });
    const gone = await raw(emulator, "GET", `/openai/models/${tuned}?api-version=${GA}`);
    expect(gone.status).to.equal(404);
  });

  it("answers deletes of unknown and base models with 404 and 400", async () => {
    const unknown = await raw(
      emulator,
      "DELETE",
      "/openai/v1/models/gpt-4o-mini-2024-07-18.ft-00000000000000000000000000000000",
    );
    expect(unknown.status).to.equal(404);
    expect(unknown.body).to.deep.equal({
      error: {
        code: "notFound",
        message:
          "The model 'gpt-4o-mini-2024-07-18.ft-00000000000000000000000000000000' does not exist.",
        param: null,
        type: "error",
      },
    });
    const base = await raw(emulator, "DELETE", "/openai/v1/models/gpt-4o-2024-08-06");
    expect(base.status).to.equal(400);
    expect(base.body).to.deep.equal({
      error: {
        code: "invalidPayload",
        message:
          "Model 'gpt-4o-2024-08-06' is a base model; only fine-tuned models can be deleted.",
        param: "model",
        type: "error",
      },
    });
  });

  it("serves DELETE /models only on v1: the dated specs define no delete", async () => {
    const dated = await raw(
      emulator,
      "DELETE",
      `/openai/models/gpt-4o-2024-08-06?api-version=${GA}`,
    );
    expect(dated.status).to.equal(404);
    expect(dated.body).to.deep.equal({ error: { code: "404", message: "Resource not found" } });
  });
});
