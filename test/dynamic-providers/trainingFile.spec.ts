import { expect } from "chai";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { checkTrainingContent, trainingFileProvider } from "../../dynamic-providers/trainingFile";
import { UNKNOWN } from "../../dynamic-providers/support";
import { uploadName } from "../../dynamic-providers/trainingFile/upload";
import { startLossyProxy } from "../support/lossyProxy";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { toFile } from "openai";
import { createAzureOpenAI } from "../../lib/azure/client";
import { validateTrainingFile } from "../../lib/trainingData/validate";

const TRAIN = "test/fixtures/providers/train.jsonl";
/** Its upload name: the name with the first 16 hex digits of `sha256sum train.jsonl` (14e1d7d2…). */
const UPLOADED_AS = "train.14e1d7d28701b8bb.jsonl";
const INVALID = "test/fixtures/providers/invalid.jsonl";
// Loosely typed: the tests feed the provider what the engine would, including partial and unknown values.
const provider = trainingFileProvider as unknown as Record<
  "check" | "diff" | "create" | "read" | "update" | "delete",
  (...args: any[]) => Promise<any>
>;

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** Runs the program-side content check and then the provider's `check`, as the engine would. */
async function check(args: Record<string, unknown>, olds: Record<string, unknown> = {}) {
  const content = await checkTrainingContent(
    args.path as string,
    args.model as string,
    args.epochs as number | undefined,
    () => undefined,
  );
  return provider.check(olds as any, { ...args, content } as any);
}

describe("dynamic-providers/trainingFile", () => {
  let emulator: RunningEmulator;
  let lines: string[];
  let originalLog: typeof console.log;
  let scratch: string;
  const savedEnv = { ...process.env };

  before(async () => {
    emulator = await startEmulator({ quiet: true, fileProcessingMs: 5 });
  });
  after(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    emulator.admin.reset();
    process.env.AZURE_OPENAI_API_KEY = emulator.apiKey;
    process.env.AZURE_OPENAI_RETRY_BASE_MS = "1";
    scratch = mkdtempSync(path.join(tmpdir(), "training-file-"));
    lines = [];
    originalLog = console.log;
    console.log = (line: string) => lines.push(line);
  });
  afterEach(() => {
    console.log = originalLog;
    process.env = { ...savedEnv };
    rmSync(scratch, { recursive: true, force: true });
  });

  describe("check", () => {
    it("records the content hash and the validator's measurements, without calling Azure", async () => {
      const report = await validateTrainingFile(TRAIN, { model: "gpt-4o-mini" });
      const result = await check({
        endpoint: `${emulator.endpoint}/`,
        path: TRAIN,
        model: "gpt-4o-mini",
      });
      expect(result).to.deep.equal({
        inputs: {
          endpoint: emulator.endpoint,
          path: TRAIN,
          model: "gpt-4o-mini",
          purpose: "fine-tune",
          sha256: sha256(TRAIN),
          bytes: 2889,
          examples: 12,
          totalTokens: report.totalTokens,
          tokenCountExact: true,
          estimatedBilledTokens: report.estimatedBilledTokens,
        },
        failures: [],
      });
      expect(emulator.admin.counters().total).to.equal(0);
    });

    it("reports bad lines as `file:line: reason` failures on `path`, with zero requests", async () => {
      const report = await validateTrainingFile(INVALID, { model: "gpt-4o", displayName: INVALID });
      const result = await check({ endpoint: emulator.endpoint, path: INVALID, model: "gpt-4o" });
      expect(result.failures).to.deep.equal(
        report.errors.map((reason) => ({ property: "path", reason })),
      );
      expect(
        result.failures!.map((f: { reason: string }) => f.reason.split(": ")[0]),
      ).to.deep.equal([`${INVALID}:3`, `${INVALID}:5`]);
      expect(emulator.admin.counters().total).to.equal(0);
    });

    it("lists the first ten problems and says how many more there are", async () => {
      const file = path.join(scratch, "broken.jsonl");
      writeFileSync(file, '{"messages": [\n'.repeat(14));
      const report = await validateTrainingFile(file, { model: "gpt-4o", displayName: file });
      const result = await check({ endpoint: emulator.endpoint, path: file, model: "gpt-4o" });
      expect(report.errorCount).to.be.greaterThan(10);
      expect(result.failures).to.deep.equal([
        ...report.errors.slice(0, 10).map((reason) => ({ property: "path", reason })),
        {
          property: "path",
          reason:
            `… and ${report.errorCount - 10} more problems in ${file}; ` +
            `run \`npm run validate -- ${file} --model gpt-4o\` to list them`,
        },
      ]);
    });

    it("refuses data whose estimated billed tokens exceed maxBilledTokens", async () => {
      const report = await validateTrainingFile(TRAIN, { model: "gpt-4o-mini", epochs: 3 });
      const result = await check({
        endpoint: emulator.endpoint,
        path: TRAIN,
        model: "gpt-4o-mini",
        epochs: 3,
        maxBilledTokens: 100,
      });
      expect(result.failures).to.deep.equal([
        {
          property: "maxBilledTokens",
          reason:
            `training on ${TRAIN} would bill about ${report.estimatedBilledTokens} tokens (${report.totalTokens} tokens × 3 epochs), ` +
            "above `maxBilledTokens` 100; shrink the data, lower the epochs, or raise the cap",
        },
      ]);
    });

    it("calls the cost guard's count an estimate when the model's tokenizer is not o200k_base", async () => {
      const report = await validateTrainingFile(TRAIN, { model: "gpt-oss-20b", epochs: 3 });
      const result = await check({
        endpoint: emulator.endpoint,
        path: TRAIN,
        model: "gpt-oss-20b",
        epochs: 3,
        maxBilledTokens: 100,
        maxBilledTokensSetting: "azure-openai-finetune:maxBilledTokens",
      });
      expect(result.failures).to.deep.equal([
        {
          property: "maxBilledTokens",
          reason:
            `training on ${TRAIN} would bill an estimated ~${report.estimatedBilledTokens} tokens (${report.totalTokens} tokens × 3 epochs; ` +
            "counted with o200k_base (estimate; gpt-oss-20b uses o200k_harmony)), above `azure-openai-finetune:maxBilledTokens` 100; " +
            "shrink the data, lower the epochs, or raise the cap",
        },
      ]);
      expect(result.inputs.tokenCountExact).to.equal(false);
    });

    it("lets a model the catalog does not know pass, with a warning (the account decides at create)", async () => {
      const warnings: string[] = [];
      const content = await checkTrainingContent(TRAIN, "gpt-7-2027-01-01", undefined, (w) =>
        warnings.push(w),
      );
      const result = await provider.check(
        {} as any,
        {
          endpoint: emulator.endpoint,
          path: TRAIN,
          model: "gpt-7-2027-01-01",
          content,
        } as any,
      );
      expect(result.failures).to.deep.equal([]);
      expect(result.inputs.tokenCountExact).to.equal(false);
      expect(warnings).to.deep.equal([
        "gpt-7-2027-01-01 is not in the model catalog: examples were checked against the largest known limit " +
          "(65,536 tokens) and counted with o200k_base (estimate; gpt-7-2027-01-01 uses an unknown tokenizer); Azure decides",
      ]);
    });

    it("names a missing file, a model that cannot train on the data and a wrong purpose", async () => {
      const missing = await check({
        endpoint: emulator.endpoint,
        path: "nope/train.jsonl",
        model: "gpt-4o",
      });
      expect(missing.failures).to.have.length(1);
      expect(missing.failures![0].property).to.equal("path");
      expect(missing.failures![0].reason).to.match(/^`path`: training file nope\/train\.jsonl /);

      // gpt-5 is in the catalog with reinforcement only: chat data cannot train it.
      const model = await check({ endpoint: emulator.endpoint, path: TRAIN, model: "gpt-5" });
      expect(model.failures).to.deep.equal([
        {
          property: "path",
          reason:
            `${TRAIN}: gpt-5-2025-08-07 cannot be fine-tuned on chat (supervised) data; supervised fine-tuning works with: ` +
            "gpt-4o-2024-08-06, gpt-4o-mini-2024-07-18, gpt-4.1-2025-04-14, gpt-4.1-mini-2025-04-14, gpt-4.1-nano-2025-04-14, " +
            "Ministral-3B, Qwen-32B, Llama-3.3-70B-Instruct, gpt-oss-20b",
        },
      ]);
      const none = await check({ endpoint: emulator.endpoint, path: TRAIN, model: "" });
      expect(none.failures).to.deep.equal([
        {
          property: "model",
          reason:
            '`model` "" must be the id of the base model the data is for, e.g. gpt-4.1-mini-2025-04-14',
        },
      ]);

      const purpose = await check({
        endpoint: "not a url",
        path: TRAIN,
        model: "gpt-4o",
        purpose: "batch",
      });
      expect(purpose.failures).to.deep.equal([
        {
          property: "endpoint",
          reason:
            '`endpoint` "not a url" is not a URL; use the account endpoint, e.g. https://<account>.openai.azure.com/',
        },
        {
          property: "purpose",
          reason:
            '`purpose` "batch" is not supported; TrainingFile uploads fine-tuning data, use "fine-tune"',
        },
      ]);
    });

    it("leaves the hash unknown at preview when the file is not known yet", async () => {
      const result = await provider.check(
        {} as any,
        { endpoint: UNKNOWN, path: UNKNOWN, model: "gpt-4o", content: UNKNOWN } as any,
      );
      expect(result).to.deep.equal({
        inputs: {
          endpoint: UNKNOWN,
          path: UNKNOWN,
          model: "gpt-4o",
          purpose: "fine-tune",
          sha256: UNKNOWN,
        },
        failures: [],
      });
    });
  });

  describe("diff", () => {
    it("replaces the file when its content changes", async () => {
      const copy = path.join(scratch, "train.jsonl");
      copyFileSync(TRAIN, copy);
      const olds = (await check({ endpoint: emulator.endpoint, path: copy, model: "gpt-4o-mini" }))
        .inputs;
      writeFileSync(copy, readFileSync(TRAIN, "utf8").replace("2.54", "2.540"));
      const news = (await check({ endpoint: emulator.endpoint, path: copy, model: "gpt-4o-mini" }))
        .inputs;
      expect(await provider.diff("file-1", olds, news)).to.deep.equal({
        changes: true,
        replaces: ["sha256"],
        deleteBeforeReplace: false,
      });
    });

    it("changes nothing when the same content moves to another path", async () => {
      const moved = path.join(scratch, "renamed.jsonl");
      copyFileSync(TRAIN, moved);
      const olds = (await check({ endpoint: emulator.endpoint, path: TRAIN, model: "gpt-4o-mini" }))
        .inputs;
      const news = (await check({ endpoint: emulator.endpoint, path: moved, model: "gpt-4o-mini" }))
        .inputs;
      expect(await provider.diff("file-1", olds, news)).to.deep.equal({
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });

    it("replaces the file when the endpoint or the purpose changes", async () => {
      const olds = (await check({ endpoint: emulator.endpoint, path: TRAIN, model: "gpt-4o-mini" }))
        .inputs;
      const news = {
        ...olds,
        endpoint: "https://other.openai.azure.com",
        purpose: "batch",
        model: "gpt-4o",
      };
      expect(await provider.diff("file-1", olds, news)).to.deep.equal({
        changes: true,
        replaces: ["endpoint", "purpose"],
        deleteBeforeReplace: false,
      });
    });
  });

  describe("diff while the account changes (endpoint unknown at preview)", () => {
    async function olds() {
      const inputs = (
        await check({ endpoint: emulator.endpoint, path: TRAIN, model: "gpt-4o-mini" })
      ).inputs;
      return { ...inputs, accountName: "ft-dev-acct" };
    }

    it("keeps the file when the account is only updated: endpoint unknown, name known", async () => {
      const old = await olds();
      expect(await provider.diff("file-1", old, { ...old, endpoint: UNKNOWN })).to.deep.equal({
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });

    it("keeps a file from a state written before accountName existed", async () => {
      const { accountName: _none, ...old } = await olds();
      const news = { ...old, endpoint: UNKNOWN, accountName: "ft-dev-acct" };
      expect((await provider.diff("file-1", old, news)).replaces).to.deep.equal([]);
    });

    it("replaces the file when the account is replaced: its name is unknown too", async () => {
      const old = await olds();
      const news = { ...old, endpoint: UNKNOWN, accountName: UNKNOWN };
      expect(await provider.diff("file-1", old, news)).to.deep.equal({
        changes: true,
        replaces: ["accountName"],
        deleteBeforeReplace: false,
      });
    });

    it("replaces the file when the account is renamed", async () => {
      const old = await olds();
      const news = { ...old, endpoint: UNKNOWN, accountName: "ft-dev-acct2" };
      expect((await provider.diff("file-1", old, news)).replaces).to.deep.equal(["accountName"]);
    });

    it("replaces the file on an unknown endpoint when no accountName tells update from replacement", async () => {
      const { accountName: _none, ...old } = await olds();
      expect(
        (await provider.diff("file-1", old, { ...old, endpoint: UNKNOWN })).replaces,
      ).to.deep.equal(["endpoint"]);
    });

    it("refuses an accountName that is not a non-empty string", async () => {
      const result = await check({
        endpoint: emulator.endpoint,
        accountName: "",
        path: TRAIN,
        model: "gpt-4o-mini",
      });
      expect(result.failures).to.deep.equal([
        {
          property: "accountName",
          reason: '`accountName` "" must be the account\'s name (Account.name), or unset',
        },
      ]);
    });
  });

  describe("create, read, delete", () => {
    it("uploads the file, waits until Azure has processed it, and returns its outputs", async () => {
      const { inputs } = await check({
        endpoint: emulator.endpoint,
        path: TRAIN,
        model: "gpt-4o-mini",
      });
      const created = await provider.create(inputs);
      const files = emulator.admin.state().files;
      expect(files.map((f) => [f.id, f.status, f.bytes, f.filename, f.purpose])).to.deep.equal([
        [created.id, "processed", 2889, UPLOADED_AS, "fine-tune"],
      ]);
      expect(created.outs).to.deep.equal({
        ...inputs,
        fileId: created.id,
        status: "processed",
        filename: UPLOADED_AS,
        bytes: 2889,
      });
      // The emulator's placeholder deprecation dates (release + 1 year) are past: one line says so.
      expect(lines.slice(0, 2)).to.deep.equal([
        "model gpt-4o-mini-2024-07-18: the account lists fine-tuning as deprecated since 2025-07-18; trying anyway (Azure decides)",
        `training file train.jsonl: uploading 2.8 KB to ${emulator.endpoint}`,
      ]);
      expect(lines).to.include("training file train.jsonl: sent 2.8 KB of 2.8 KB (100%)");
      expect(lines.join("\n")).not.to.include("centimetres");

      expect(await provider.read(created.id, created.outs)).to.deep.equal({
        id: created.id,
        props: created.outs,
      });
      await provider.delete(created.id, created.outs);
      expect(emulator.admin.state().files).to.deep.equal([]);
    });

    it("treats a file deleted outside Pulumi as gone: read returns no id, delete succeeds", async () => {
      const { inputs } = await check({
        endpoint: emulator.endpoint,
        path: TRAIN,
        model: "gpt-4o-mini",
      });
      const created = await provider.create(inputs);
      await provider.delete(created.id, created.outs);
      emulator.admin.reset({ state: false, faults: false });
      expect(await provider.read(created.id, created.outs)).to.deep.equal({ id: "", props: {} });
      await provider.delete(created.id, created.outs);
      expect(emulator.admin.counters().routes).to.deep.equal({
        "DELETE /openai/files/:fileId": 1,
        "GET /openai/files/:fileId": 1,
      });
    });

    it("deletes a file Azure rejects while processing, so nothing is left behind", async () => {
      // Skips `check` on purpose: stands in for data the local validator passed and Azure refused.
      const inputs = {
        endpoint: emulator.endpoint,
        path: INVALID,
        model: "gpt-4o",
        purpose: "fine-tune",
        sha256: sha256(INVALID),
        bytes: 0,
        examples: 0,
        totalTokens: 0,
        estimatedBilledTokens: 0,
      };
      const message = await provider.create(inputs).then(
        () => "created",
        (err: Error) => err.message,
      );
      expect(message).to.match(
        /^training file invalid\.jsonl \(file-[0-9a-f]+\) was rejected by Azure with status "error": Validation of jsonl file failed: .*invalid\.[0-9a-f]{16}\.jsonl:3: /,
      );
      expect(message).to.match(
        /The uploaded file was deleted; fix the data and run `pulumi up` again\.$/,
      );
      expect(emulator.admin.state().files).to.deep.equal([]);
      expect(emulator.admin.counters().routes["DELETE /openai/files/:fileId"]).to.equal(1);
    });

    it("deletes the upload when the file changed after it was validated", async () => {
      const copy = path.join(scratch, "train.jsonl");
      copyFileSync(TRAIN, copy);
      const { inputs } = await check({
        endpoint: emulator.endpoint,
        path: copy,
        model: "gpt-4o-mini",
      });
      writeFileSync(copy, readFileSync(TRAIN, "utf8").replace("2.54", "2.540"));
      const message = await provider.create(inputs).then(
        () => "created",
        (err: Error) => err.message,
      );
      expect(message).to.equal(
        `\`path\` "${copy}" changed between validation and upload (sha256 ${sha256(copy)}, validated ${inputs.sha256}); ` +
          "the upload was deleted. Run `pulumi up` again.",
      );
      expect(emulator.admin.state().files).to.deep.equal([]);
    });

    it("takes the file Azure stored when the upload's answer was lost, instead of sending it again", async () => {
      const proxy = await startLossyProxy(emulator.endpoint);
      try {
        const { inputs } = await check({
          endpoint: proxy.endpoint,
          path: TRAIN,
          model: "gpt-4o-mini",
        });
        proxy.loseAnswer({ method: "POST", path: "/openai/files" });
        const created = await provider.create(inputs);
        expect(proxy.lost).to.equal(1);
        expect(emulator.admin.state().files.map((f) => [f.id, f.filename])).to.deep.equal([
          [created.id, UPLOADED_AS],
        ]);
        expect(emulator.admin.counters().routes["POST /openai/files"]).to.equal(1);
        expect(lines).to.include(
          `training file train.jsonl: ${created.id} arrived although its answer was lost; not sending again`,
        );
      } finally {
        await proxy.close();
      }
    });

    it("sends again after a dropped request, never taking a same-named file of another size", async () => {
      const proxy = await startLossyProxy(emulator.endpoint);
      try {
        const { inputs } = await check({
          endpoint: proxy.endpoint,
          path: TRAIN,
          model: "gpt-4o-mini",
        });
        // A file of the same name but another size is not this content.
        const client = await createAzureOpenAI(emulator.endpoint);
        const { toFile } = await import("openai");
        await client.files.create({
          file: await toFile(Buffer.from(readFileSync(TRAIN, "utf8").trim()), UPLOADED_AS),
          purpose: "fine-tune",
        });
        emulator.admin.injectFault({ kind: "drop", method: "POST", path: "/openai/files" });
        const created = await provider.create(inputs);
        const ours = emulator.admin.state().files.filter((f) => f.id === created.id);
        expect(ours.map((f) => [f.filename, f.bytes])).to.deep.equal([[UPLOADED_AS, 2889]]);
        expect(emulator.admin.state().files).to.have.length(2);
      } finally {
        await proxy.close();
      }
    });

    it("asks the account before uploading, and uploads nothing for a model it cannot fine-tune", async () => {
      const { inputs } = await check({
        endpoint: emulator.endpoint,
        path: TRAIN,
        model: "gpt-4o-mini",
      });
      const message = await provider.create({ ...inputs, model: "gpt-4o-2024-11-20" }).then(
        () => "created",
        (err: Error) => err.message,
      );
      expect(message).to.match(
        /^`model` "gpt-4o-2024-11-20" cannot be fine-tuned on this account: the account reports capabilities\.fine_tune false\. Nothing was uploaded or billed\. Models this account reports as fine-tunable: .*gpt-4o-mini-2024-07-18/,
      );
      expect(emulator.admin.counters().routes["POST /openai/files"]).to.equal(undefined);
      expect(emulator.admin.state().files).to.deep.equal([]);
    });

    it("retries a throttled and a dropped upload, ending with exactly one file", async () => {
      const { inputs } = await check({
        endpoint: emulator.endpoint,
        path: TRAIN,
        model: "gpt-4o-mini",
      });
      emulator.admin.injectFault({
        kind: "throttle",
        method: "POST",
        path: "/openai/files",
        retryAfterMs: 0,
      });
      emulator.admin.injectFault({ kind: "drop", method: "POST", path: "/openai/files" });
      const created = await provider.create(inputs);
      expect(emulator.admin.state().files.map((f) => f.id)).to.deep.equal([created.id]);
      expect(emulator.admin.counters().routes["POST /openai/files"]).to.equal(3);
      expect(lines.filter((l) => l.startsWith("retrying"))).to.deep.equal([
        "retrying upload training file after 429 in 0.0 s (attempt 2/6)",
        "retrying upload training file after connection error UND_ERR_SOCKET in 0.0 s (attempt 3/6)",
      ]);
    });

    it("refuses before uploading when the account already holds its 50 files", async () => {
      const client = await createAzureOpenAI(emulator.endpoint);
      for (let n = 0; n < 50; n++) {
        await client.files.create({
          file: await toFile(Buffer.from("{}\n"), `old-${n}.jsonl`),
          purpose: "fine-tune",
        });
      }
      const { inputs } = await check({
        endpoint: emulator.endpoint,
        path: TRAIN,
        model: "gpt-4o-mini",
      });
      const message = await provider.create(inputs).then(
        () => "created",
        (err: Error) => err.message,
      );
      expect(message).to.match(
        new RegExp(
          `^training file train\\.jsonl cannot be uploaded to ${emulator.endpoint.replace(/\./g, "\\.")}: ` +
            "it already holds 50 files, the most it may hold \\(source: https://learn\\.microsoft\\.com/azure/ai-foundry/openai/quotas-limits\\)\\. Nothing was uploaded\\.",
        ),
      );
      expect(emulator.admin.counters().routes["POST /openai/files"]).to.equal(50);
      expect(emulator.admin.state().files).to.have.length(50);
    });

    it("sends files above the threshold through the Uploads API in parts", async () => {
      process.env.AZURE_OPENAI_UPLOAD_THRESHOLD_BYTES = "1024";
      process.env.AZURE_OPENAI_UPLOAD_PART_BYTES = "1024";
      const { inputs } = await check({
        endpoint: emulator.endpoint,
        path: TRAIN,
        model: "gpt-4o-mini",
      });
      const created = await provider.create(inputs);
      const state = emulator.admin.state();
      expect(state.uploads.map((u) => [u.status, u.parts, u.file_id])).to.deep.equal([
        ["completed", 3, created.id],
      ]);
      expect(state.files.map((f) => [f.id, f.status, f.bytes])).to.deep.equal([
        [created.id, "processed", 2889],
      ]);
      expect(emulator.admin.counters().routes["POST /openai/files"]).to.equal(undefined);
      expect(lines.filter((l) => l.includes("part"))).to.deep.equal([
        `training file train.jsonl: uploading in 3 parts of up to 1 KB (${state.uploads[0].id})`,
        "training file train.jsonl: sent part 1/3, 1 KB of 2.8 KB (35%)",
        "training file train.jsonl: sent part 2/3, 2 KB of 2.8 KB (70%)",
        "training file train.jsonl: sent part 3/3, 2.8 KB of 2.8 KB (100%)",
      ]);
    });

    it("cancels a large upload whose part fails, leaving no upload pending", async () => {
      process.env.AZURE_OPENAI_UPLOAD_THRESHOLD_BYTES = "1024";
      process.env.AZURE_OPENAI_UPLOAD_PART_BYTES = "1024";
      const { inputs } = await check({
        endpoint: emulator.endpoint,
        path: TRAIN,
        model: "gpt-4o-mini",
      });
      emulator.admin.injectFault({
        kind: "serverError",
        path: "/openai/uploads/:uploadId/parts",
        count: 6,
      });
      const message = await provider.create(inputs).then(
        () => "created",
        (err: Error) => err.message,
      );
      expect(message).to.equal(
        "upload part 1/3 of training file failed: 500 InternalServerError: The server had an error while processing your request. Sorry about that!",
      );
      expect(emulator.admin.state().uploads.map((u) => u.status)).to.deep.equal(["cancelled"]);
      expect(emulator.admin.state().files).to.deep.equal([]);
    });
  });
});

describe("dynamic-providers/trainingFile/upload uploadName", () => {
  it("puts the first 16 hex digits of the content hash before the extension", () => {
    const sha = "14e1d7d28701b8bb7b9366bb56e8a1f96bccf5735a1262485d4ba150fb66b136";
    expect(
      ["data/train.jsonl", "C:\\data\\train.v2.jsonl", "data/noext"].map((p) => uploadName(p, sha)),
    ).to.deep.equal([
      "train.14e1d7d28701b8bb.jsonl",
      "train.v2.14e1d7d28701b8bb.jsonl",
      "noext.14e1d7d28701b8bb",
    ]);
  });
});
