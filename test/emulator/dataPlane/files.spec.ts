import { expect } from "chai";
import { toFile } from "openai";
import type { RunningEmulator } from "../../../emulator/server";
import { AZURE_LIMITS } from "../../../emulator/state";
import { validateTrainingBuffer } from "../../../lib/trainingData/validate";
import {
  client,
  GA,
  PREVIEW,
  jobParams,
  raw,
  startFast,
  trainingJsonl,
  uploadProcessed,
  waitFor,
} from "../support";

/** Multipart upload with fetch, to see status codes and headers the client hides. */
async function upload(
  emulator: RunningEmulator,
  path: string,
  content: Buffer,
  fields: Record<string, string> = { purpose: "fine-tune" },
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    form.append(key, value);
  }
  form.append("file", new Blob([content], { type: "application/jsonl" }), "train.jsonl");
  const res = await fetch(`${emulator.endpoint}${path}`, {
    method: "POST",
    headers: { "api-key": emulator.apiKey },
    body: form,
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe("emulator Files API", () => {
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startFast();
  });
  afterEach(() => emulator.close());

  it("answers an upload on the dated API with 201, a Location and a pending file", async () => {
    const content = trainingJsonl();
    const res = await upload(emulator, `/openai/files?api-version=${GA}`, content);
    expect(res.status).to.equal(201);
    const id = res.body.id as string;
    expect(id).to.match(/^file-[0-9a-f]{32}$/);
    expect(res.headers.get("location")).to.equal(`${emulator.endpoint}/openai/files/${id}`);
    expect(res.body).to.deep.equal({
      object: "file",
      id,
      created_at: res.body.created_at,
      status: "pending",
      bytes: content.length,
      purpose: "fine-tune",
      filename: "train.jsonl",
    });
  });

  it("answers an upload on v1 with 200 and no Location", async () => {
    const res = await upload(emulator, "/openai/v1/files", trainingJsonl());
    expect(res.status).to.equal(200);
    expect(res.headers.get("location")).to.equal(null);
    expect(res.body.status).to.equal("pending");
  });

  it("moves a valid training file from pending to processed asynchronously", async () => {
    const openai = client(emulator);
    const file = await uploadProcessed(openai);
    expect(file.status).to.equal("processed");
    expect((file as unknown as Record<string, unknown>).status_details).to.equal(undefined);
  });

  it("reports pending, then running, then processed while importing", async () => {
    // Each phase lasts 1.5 s, so a poll lands in "running" even on a busy machine.
    const slower = await startFast({ fileProcessingMs: 3000 });
    try {
      const openai = client(slower);
      const file = await openai.files.create({
        file: await toFile(trainingJsonl(), "train.jsonl"),
        purpose: "fine-tune",
      });
      const seen: string[] = [file.status];
      await waitFor(
        async () => (await openai.files.retrieve(file.id)).status,
        (status) => {
          if (seen[seen.length - 1] !== status) {
            seen.push(status);
          }
          return status === "processed";
        },
        "processing",
      );
      expect(seen).to.deep.equal(["pending", "running", "processed"]);
    } finally {
      await slower.close();
    }
  });

  it("moves an invalid training file to error with the validator's findings in status_details", async () => {
    const openai = client(emulator);
    const bad = Buffer.from('{"messages":[]}\nnot json\n', "utf8");
    const file = await uploadProcessed(openai, bad, "bad.jsonl");
    expect(file.status).to.equal("error");
    const report = validateTrainingBuffer(bad, { displayName: "bad.jsonl" });
    expect(report.errorCount).to.equal(3);
    expect((file as unknown as Record<string, unknown>).status_details).to.equal(
      `Validation of jsonl file failed: 3 error(s): ${report.errors.join("; ")}`,
    );
  });

  it("accepts a byte-order mark and CRLF line endings", async () => {
    const crlf = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(trainingJsonl().toString("utf8").replace(/\n/g, "\r\n"), "utf8"),
    ]);
    const file = await uploadProcessed(client(emulator), crlf);
    expect(file.status).to.equal("processed");
  });

  it("names the line with invalid UTF-8 bytes", async () => {
    const lines = trainingJsonl().toString("utf8").split("\n");
    const broken = Buffer.concat([
      Buffer.from(`${lines.slice(0, 2).join("\n")}\n`, "utf8"),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`\n${lines.slice(2).join("\n")}`, "utf8"),
    ]);
    const file = await uploadProcessed(client(emulator), broken, "broken.jsonl");
    const report = validateTrainingBuffer(broken, { displayName: "broken.jsonl" });
    expect(report.errors.length).to.equal(1);
    expect(report.errors[0]).to.match(/^broken\.jsonl:3: /);
    expect((file as unknown as Record<string, unknown>).status_details).to.equal(
      `Validation of jsonl file failed: 1 error(s): ${report.errors[0]}`,
    );
  });

  it("repeats the first five validator errors in status_details and counts the rest", async () => {
    const openai = client(emulator);
    const bad = Buffer.from("not json\n".repeat(12), "utf8");
    const file = await uploadProcessed(openai, bad, "junk.jsonl");
    const report = validateTrainingBuffer(bad, { displayName: "junk.jsonl" });
    expect(report.errorCount).to.equal(12);
    expect((file as unknown as Record<string, unknown>).status_details).to.equal(
      `Validation of jsonl file failed: 12 error(s): ${report.errors.slice(0, 5).join("; ")} (and 7 more)`,
    );
  });

  it("refuses a job on a file that is still being imported", async () => {
    const slow = await startFast({ fileProcessingMs: 60_000 });
    try {
      const openai = client(slow);
      const file = await openai.files.create({
        file: await toFile(trainingJsonl(), "train.jsonl"),
        purpose: "fine-tune",
      });
      const res = await raw(slow, "POST", `/openai/fine_tuning/jobs?api-version=${GA}`, {
        body: jobParams(file.id),
      });
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({
        error: {
          code: "invalidPayload",
          message: "The specified file reference must point to a completed file import.",
          target: "training_file",
        },
      });
    } finally {
      await slow.close();
    }
  });

  it("refuses an upload without purpose or with an unsupported one", async () => {
    const missing = await upload(emulator, `/openai/files?api-version=${GA}`, trainingJsonl(), {});
    expect(missing.status).to.equal(400);
    expect(missing.body).to.deep.equal({
      error: {
        code: "invalidPayload",
        message: "The `purpose` field is required; use `fine-tune` for training data.",
        target: "purpose",
      },
    });
    const results = await upload(emulator, "/openai/v1/files", trainingJsonl(), {
      purpose: "fine-tune-results",
    });
    expect(results.status).to.equal(400);
    expect(results.body).to.deep.equal({
      error: {
        code: "invalidPayload",
        message:
          "The purpose 'fine-tune-results' is not supported for uploads; use one of: fine-tune, batch, assistants, evals.",
        param: "purpose",
        type: "error",
      },
    });
  });

  it("lists, gets, downloads and deletes files", async () => {
    const openai = client(emulator);
    const content = trainingJsonl();
    const first = await uploadProcessed(openai, content, "a.jsonl");
    const second = await uploadProcessed(openai, content, "b.jsonl");
    const list = await openai.files.list();
    expect(list.data.map((f) => f.id)).to.deep.equal([second.id, first.id]);
    expect((await openai.files.retrieve(first.id)).filename).to.equal("a.jsonl");
    const downloaded = Buffer.from(await (await openai.files.content(first.id)).arrayBuffer());
    expect(downloaded.equals(content)).to.equal(true);
    const deleted = await openai.files.delete(first.id);
    expect(deleted).to.deep.equal({ object: "file", deleted: true, id: first.id });
    const gone = await raw(emulator, "GET", `/openai/files/${first.id}?api-version=${GA}`);
    expect(gone.status).to.equal(404);
    expect(gone.body).to.deep.equal({
      error: { code: "notFound", message: `File with id '${first.id}' was not found.` },
    });
  });

  it("pages the v1 list with after and limit", async () => {
    const openai = client(emulator);
    const a = await uploadProcessed(openai);
    const b = await uploadProcessed(openai);
    const c = await uploadProcessed(openai);
    const page = await raw(emulator, "GET", `/openai/v1/files?limit=2`);
    expect(page.body).to.deep.include({ first_id: c.id, last_id: b.id, has_more: true });
    const next = await raw(emulator, "GET", `/openai/v1/files?limit=2&after=${b.id}`);
    expect(next.body).to.deep.include({ first_id: a.id, last_id: a.id, has_more: false });
  });

  it("pages the preview dated list with limit, after and order; the GA list has no paging", async () => {
    const openai = client(emulator);
    const a = await uploadProcessed(openai);
    const b = await uploadProcessed(openai);
    const page = await raw(emulator, "GET", `/openai/files?api-version=${PREVIEW}&limit=1`);
    expect(page.body).to.deep.include({ first_id: b.id, last_id: b.id, has_more: true });
    const asc = await raw(emulator, "GET", `/openai/files?api-version=${PREVIEW}&order=asc`);
    expect((asc.body as { data: { id: string }[] }).data.map((f) => f.id)).to.deep.equal([
      a.id,
      b.id,
    ]);
    const ga = await raw(emulator, "GET", `/openai/files?api-version=${GA}&limit=1`);
    expect(Object.keys(ga.body as object)).to.deep.equal(["object", "data"]);
    expect((ga.body as { data: unknown[] }).data).to.have.length(2);
  });

  it("honours expires_after on uploads: expires_at is shown and the file goes when it passes", async () => {
    const openai = client(emulator, PREVIEW);
    const file = await openai.files.create({
      file: await toFile(trainingJsonl(), "short-lived.jsonl"),
      purpose: "fine-tune",
      expires_after: { anchor: "created_at", seconds: 3600 },
    });
    expect((file as unknown as { expires_at: number }).expires_at).to.equal(file.created_at + 3600);
    const realNow = Date.now;
    Date.now = () => realNow() + 3601 * 1000;
    try {
      expect((await openai.files.list()).data).to.deep.equal([]);
    } finally {
      Date.now = realNow;
    }
    const bad = await raw(emulator, "POST", "/openai/uploads?api-version=" + PREVIEW, {
      body: {
        purpose: "fine-tune",
        filename: "x.jsonl",
        bytes: 10,
        mime_type: "application/jsonl",
        expires_after: { anchor: "created_at", seconds: 60 },
      },
    });
    expect(bad.status).to.equal(400);
    expect(bad.body).to.deep.equal({
      error: {
        code: "invalidPayload",
        message: "`expires_after` must be {anchor: 'created_at', seconds: 3600 to 2592000}.",
        target: "expires_after",
      },
    });
  });

  describe("quotas", () => {
    it("refuses more files than the resource allows with quotaExceeded", async () => {
      const small = await startFast({ limits: { maxFiles: 2 } });
      try {
        await upload(small, `/openai/files?api-version=${GA}`, trainingJsonl());
        await upload(small, `/openai/files?api-version=${GA}`, trainingJsonl());
        const third = await upload(small, `/openai/files?api-version=${GA}`, trainingJsonl());
        expect(third.status).to.equal(400);
        expect(third.body).to.deep.equal({
          error: {
            code: "quotaExceeded",
            message: "The quota for files is reached. The maximum is 2.",
          },
        });
      } finally {
        await small.close();
      }
    });

    it("refuses a file over the per-file size limit", async () => {
      const small = await startFast({ limits: { maxFileBytes: 100 } });
      try {
        const res = await upload(small, `/openai/files?api-version=${GA}`, Buffer.alloc(101, 0x61));
        expect(res.status).to.equal(400);
        expect(res.body).to.deep.equal({
          error: {
            code: "invalidPayload",
            message:
              "The file exceeds the maximum size of 100 bytes (100 bytes). Split the data or use the Uploads API (/openai/uploads) for larger files.",
            target: "file",
          },
        });
      } finally {
        await small.close();
      }
    });

    it("refuses a file that would take all files over the total size quota", async () => {
      const small = await startFast({ limits: { maxTotalFileBytes: 150 } });
      try {
        expect(
          (await upload(small, `/openai/files?api-version=${GA}`, Buffer.alloc(100, 0x61))).status,
        ).to.equal(201);
        const res = await upload(small, `/openai/files?api-version=${GA}`, Buffer.alloc(60, 0x61));
        expect(res.status).to.equal(400);
        expect(res.body).to.deep.equal({
          error: {
            code: "quotaExceeded",
            message:
              "The total size of all files would exceed the quota of 150 bytes (100 bytes used, 60 bytes uploaded). Delete files that are no longer needed.",
          },
        });
      } finally {
        await small.close();
      }
    });

    it("uses Azure's limits by default: 50 files, 512 MB per file, 1 GB in total", () => {
      expect({
        maxFiles: AZURE_LIMITS.maxFiles,
        maxFileBytes: AZURE_LIMITS.maxFileBytes,
        maxTotalFileBytes: AZURE_LIMITS.maxTotalFileBytes,
      }).to.deep.equal({ maxFiles: 50, maxFileBytes: 536870912, maxTotalFileBytes: 1073741824 });
    });
  });
});
