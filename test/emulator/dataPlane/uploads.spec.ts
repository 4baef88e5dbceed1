import { expect } from "chai";
import { createHash } from "node:crypto";
import { toFile } from "openai";
import type { RunningEmulator } from "../../../emulator/server";
import { client, GA, raw, startFast, trainingJsonl, waitFor } from "../support";

describe("emulator Uploads API", () => {
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startFast();
  });
  afterEach(() => emulator.close());

  it("assembles parts in part_ids order into a file that is validated like an upload", async () => {
    const openai = client(emulator);
    const content = trainingJsonl();
    const cut = Math.floor(content.length / 2);
    const upload = await openai.uploads.create({
      purpose: "fine-tune",
      filename: "big.jsonl",
      bytes: content.length,
      mime_type: "application/jsonl",
    });
    expect(upload).to.deep.equal({
      object: "upload",
      id: upload.id,
      created_at: upload.created_at,
      expires_at: upload.created_at + 7200,
      bytes: content.length,
      filename: "big.jsonl",
      purpose: "fine-tune",
      status: "pending",
      file: null,
    });
    expect(upload.id).to.match(/^fine-tune-[0-9a-f]{32}$/);
    // Send the second half first: the order of part_ids, not of arrival, decides the content.
    const second = await openai.uploads.parts.create(upload.id, {
      data: await toFile(content.subarray(cut), "b"),
    });
    const first = await openai.uploads.parts.create(upload.id, {
      data: await toFile(content.subarray(0, cut), "a"),
    });
    expect(first.object).to.equal("upload.part");
    expect(first.upload_id).to.equal(upload.id);
    const done = await openai.uploads.complete(upload.id, {
      part_ids: [first.id, second.id],
      md5: createHash("md5").update(content).digest("hex"),
    });
    expect(done.status).to.equal("completed");
    const fileId = (done.file as { id: string }).id;
    const file = await waitFor(
      () => openai.files.retrieve(fileId),
      (f) => f.status === "processed" || f.status === "error",
      "upload file processing",
    );
    expect({ status: file.status, bytes: file.bytes, filename: file.filename }).to.deep.equal({
      status: "processed",
      bytes: content.length,
      filename: "big.jsonl",
    });
    const downloaded = Buffer.from(await (await openai.files.content(fileId)).arrayBuffer());
    expect(downloaded.equals(content)).to.equal(true);
  });

  it("accepts azure_block_id values in part_ids, as Azure's example does", async () => {
    const openai = client(emulator);
    const content = trainingJsonl();
    const upload = await openai.uploads.create({
      purpose: "fine-tune",
      filename: "t.jsonl",
      bytes: content.length,
      mime_type: "application/jsonl",
    });
    const part = (await openai.uploads.parts.create(upload.id, {
      data: await toFile(content, "p"),
    })) as unknown as {
      azure_block_id: string;
    };
    const done = await openai.uploads.complete(upload.id, { part_ids: [part.azure_block_id] });
    expect(done.status).to.equal("completed");
  });

  it("refuses to complete when the parts do not add up to the declared bytes", async () => {
    const openai = client(emulator);
    const upload = await openai.uploads.create({
      purpose: "fine-tune",
      filename: "t.jsonl",
      bytes: 10,
      mime_type: "application/jsonl",
    });
    const part = await openai.uploads.parts.create(upload.id, {
      data: await toFile(Buffer.from("abc"), "p"),
    });
    const res = await raw(
      emulator,
      "POST",
      `/openai/uploads/${upload.id}/complete?api-version=${GA}`,
      {
        body: { part_ids: [part.id] },
      },
    );
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({
      error: {
        code: "invalidPayload",
        message: "The parts add up to 3 bytes but the upload was created with `bytes` 10.",
        target: "part_ids",
      },
    });
  });

  it("cancels a pending upload and refuses further parts", async () => {
    const openai = client(emulator);
    const upload = await openai.uploads.create({
      purpose: "fine-tune",
      filename: "t.jsonl",
      bytes: 3,
      mime_type: "application/jsonl",
    });
    expect((await openai.uploads.cancel(upload.id)).status).to.equal("cancelled");
    const form = new FormData();
    form.append("data", new Blob([Buffer.from("abc")]), "p");
    const res = await fetch(
      `${emulator.endpoint}/openai/uploads/${upload.id}/parts?api-version=${GA}`,
      {
        method: "POST",
        headers: { "api-key": emulator.apiKey },
        body: form,
      },
    );
    expect(res.status).to.equal(400);
    expect(await res.json()).to.deep.equal({
      error: {
        code: "unexpectedEntityState",
        message: `Cannot add a part to upload '${upload.id}' because its status is 'cancelled'.`,
      },
    });
  });

  it("is not served on the v1 surface", async () => {
    const res = await raw(emulator, "POST", "/openai/v1/uploads", {
      body: { purpose: "fine-tune", filename: "t.jsonl", bytes: 3, mime_type: "application/jsonl" },
    });
    expect(res.status).to.equal(404);
    expect(res.body).to.deep.equal({ error: { code: "404", message: "Resource not found" } });
  });
});
